import type { ResolvedConfig } from '../config/resolved-config.js';
import { ConfigError } from '../errors.js';
import { relativeToRoot } from './bug-ref.js';
import { discoverOrphanJson, type BugDiscovery } from './discover-bugs.js';

const LISTED = 5;

/**
 * A `bugs` glob that matches nothing is a configuration error (exit 2), not "nothing to do":
 * a typo would otherwise leave every JSON unchecked and the gate green. The error names the
 * glob and the bug JSON files that no patch claims.
 */
export async function assertGlobsMatch(config: ResolvedConfig, discovery: Pick<BugDiscovery, 'bugs' | 'unmatched'>): Promise<void> {
  if (discovery.unmatched.length === 0) return;
  const unclaimed = await discoverOrphanJson(config, discovery.bugs, undefined, { anyBugsFolder: true });
  const globs = discovery.unmatched.map((g) => `'${g}'`).join(', ');
  const what = config.bugsConfigured
    ? `bugs glob${discovery.unmatched.length > 1 ? 's' : ''} ${globs} match${discovery.unmatched.length > 1 ? '' : 'es'} no patch file under ${config.root}`
    : `no patch file found under ${config.root}: no config file sets \`bugs\` and the default globs ${globs} match nothing (run from the project root, or set \`bugs\` in bug-author.config.ts)`;
  const shown = unclaimed.slice(0, LISTED).map((f) => relativeToRoot(config, f));
  const more = unclaimed.length > LISTED ? `, and ${unclaimed.length - LISTED} more` : '';
  const left = unclaimed.length
    ? `; ${unclaimed.length} bug JSON file${unclaimed.length > 1 ? 's' : ''} that no patch claims would go unchecked: ${shown.join(', ')}${more}`
    : '';
  throw new ConfigError(config.file ?? config.root, `${what}${left}`);
}
