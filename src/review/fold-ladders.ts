import type { LogicPass } from '../injector/definition.js';

/** A definition's passes as the page shows them: single passes, and ladders folded into one group. */
export type PassGroup = { kind: 'pass'; pass: LogicPass } | { kind: 'ladder'; site: string; passes: LogicPass[] };

/**
 * A ladder is several `find_and_track` passes in a row looking for the same site (each a
 * fallback for a different way students write it). Passes are the same site when their
 * descriptions start alike: up to and including the first `code` span, else the first clause.
 */
export function foldLadders(logic: readonly LogicPass[]): PassGroup[] {
  const groups: PassGroup[] = [];
  for (const pass of logic) {
    const last = groups.at(-1);
    const site = pass.type === 'find_and_track' ? siteOf(pass) : undefined;
    if (site !== undefined && last) {
      if (last.kind === 'ladder' && last.site === site) {
        last.passes.push(pass);
        continue;
      }
      if (last.kind === 'pass' && last.pass.type === 'find_and_track' && siteOf(last.pass) === site) {
        groups[groups.length - 1] = { kind: 'ladder', site, passes: [last.pass, pass] };
        continue;
      }
    }
    groups.push({ kind: 'pass', pass });
  }
  return groups;
}

function siteOf(pass: LogicPass): string | undefined {
  const description = pass.description?.trim();
  if (!description) return undefined;
  const code = /^[^`]*`[^`]+`/.exec(description);
  if (code) return code[0];
  return description.split(/[:;,(]|\s[-—]\s/)[0]!.trim();
}
