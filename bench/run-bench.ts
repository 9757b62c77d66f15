// `npm run bench`: prints the figures the issues ask for. Sections: build, llm, transfer, check, watch, review, scale (large-reference: its last table alone).
import { benchBuild } from './build-bench.js';
import { benchCheck } from './check-bench.js';
import { benchLlm } from './llm-bench.js';
import { benchReview } from './review-bench.js';
import { benchLargeReference, benchScale } from './scale-bench.js';
import { benchTransfer } from './transfer-bench.js';
import { benchWatch } from './watch-bench.js';

const only = new Set((process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length) ?? 'build,llm,transfer,check,watch,review,scale').split(','));

// The LLM section's fake server answers with synthesis's definitions, so it needs the build section.
if (only.has('build') || only.has('llm')) {
  const answers = await benchBuild();
  if (only.has('llm')) await benchLlm(answers);
}
if (only.has('transfer')) await benchTransfer();
if (only.has('check')) await benchCheck();
if (only.has('watch')) await benchWatch();
if (only.has('review')) await benchReview();
if (only.has('scale')) await benchScale();
// The scale section ends with it; alone: --only=large-reference.
else if (only.has('large-reference')) await benchLargeReference();
