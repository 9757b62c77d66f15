export { synthGenerator, SYNTH_VERSION, type SynthOptions } from './synth-generator.js';
