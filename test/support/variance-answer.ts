/** The exact definition of the example curriculum's variance/sample_uses_population bug, as a model would answer it. */
export const VARIANCE_ANSWER = {
  id: 'variance-sample-uses-population',
  description: 'stdev uses the population variance (ddof=0).',
  injection_type: 'ast',
  engine_version: '2.1',
  target_function: 'stdev',
  logic: [
    {
      pass: 1,
      type: 'find_and_replace',
      description: 'ddof=1 becomes ddof=0',
      pattern: { node_type: 'keyword', arg: 'ddof', value: { node_type: 'Constant', value: 1 } },
      replacement: { type: 'replace_value_with', source: '0' },
    },
  ],
};
