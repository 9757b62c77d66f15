export { junitReporter, type JUnitReporterOptions } from './junit-reporter.js';
