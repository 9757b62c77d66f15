/**
 * Exact on the example curriculum's variance/sample_uses_population reference, but unconfined:
 * it would change every `ddof=1` keyword of a student's file (a look-alike too).
 */
export const UNCONFINED_VARIANCE_ANSWER = {
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

/** The exact definition of that bug as a model would answer it: the same edit pinned to the call in `stdev` that passes its first argument on. */
export const VARIANCE_ANSWER = {
  ...UNCONFINED_VARIANCE_ANSWER,
  logic: [
    {
      pass: 1,
      type: 'find_and_track',
      description: 'the variance(data, ddof=1) call in stdev',
      pattern: { node_type: 'Call', func: { node_type: 'Name', id: 'variance' }, args: [{ node_type: 'Name', id: '_arg0' }] },
      track_as: { line: 'node.keywords[0].lineno', col: 'node.keywords[0].col_offset' },
    },
    {
      pass: 2,
      type: 'find_and_replace',
      description: 'ddof=1 becomes ddof=0 there',
      pattern: { node_type: 'keyword', arg: 'ddof', lineno: { from_context: 'line' }, col_offset: { from_context: 'col' } },
      replacement: { type: 'replace_value_with', source: '0' },
    },
  ],
};
