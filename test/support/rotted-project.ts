import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// A reference as it is today and patches written against an older one, one per situation found
// in real repositories: string quotes and a renamed local in the context (state/no_optimizer), a
// docstring rewritten around the change (silu/no_multiply), locals renamed consistently
// (rotate/wrong_sign); and one re-anchoring must refuse (attention/no_scale: a rename that would
// merge two variables into one, changing the bug's meaning).

export const ROTTED_REFERENCE = `import math
import torch


def save_state(model, optimizer, out):
    """Serialize the model and optimizer."""
    payload = {
        "model": model.state_dict(),
        "optimizer": optimizer.state_dict(),
        "version": 2,
    }
    torch.save(payload, out)


def silu(x):
    """SiLU: x * sigmoid(x)."""
    return x * torch.sigmoid(x)


def rotate(x_even, x_odd, angle):
    cos = torch.cos(angle)
    sin = torch.sin(angle)
    x_rot_even = x_even * cos - x_odd * sin
    x_rot_odd = x_odd * cos + x_even * sin
    return x_rot_even, x_rot_odd


def attention(Q, K):
    q = Q.float()
    d_k = q.shape[-1]
    return (q @ K.T) / math.sqrt(d_k)
`;

/** A bug's patch path in the rotted project. */
export const rottedBug = (module: string, name: string) => `curricula/c/modules/${module}/bugs/${name}.patch`;

export const ROTTED_PATCHES: Record<string, string> = {
  // Single quotes then; double quotes and another name for the dict today.
  [rottedBug('state', 'no_optimizer')]: `--- a/pkg/train.py
+++ b/pkg/train.py
@@ -5,9 +5,8 @@ def save_state(model, optimizer, out):
     """Save everything needed to resume."""
     checkpoint = {
         'model': model.state_dict(),
-        'optimizer': optimizer.state_dict(),
         'version': 2,
     }
     torch.save(checkpoint, out)
`,
  // The docstring around the change was rewritten since.
  [rottedBug('silu', 'no_multiply')]: `--- a/pkg/train.py
+++ b/pkg/train.py
@@ -14,6 +14,7 @@ def silu(x):
     """
     Returns:
         the input gated by its sigmoid
     """
-    return x * torch.sigmoid(x)
+    # BUG: the gate alone
+    return torch.sigmoid(x)
`,
  // Locals renamed consistently since; the second line is rewritten unchanged (and reordered today).
  [rottedBug('rotate', 'wrong_sign')]: `--- a/pkg/train.py
+++ b/pkg/train.py
@@ -20,6 +20,6 @@ def rotate(x_even, x_odd, angle):
     # Apply the 2D rotation
-    x_rotated_even = x_even * cos_selected - x_odd * sin_selected
-    x_rotated_odd = x_even * sin_selected + x_odd * cos_selected
+    x_rotated_even = x_even * cos_selected + x_odd * sin_selected  # sign flipped: cos_selected
+    x_rotated_odd = x_even * sin_selected + x_odd * cos_selected
     return x_rotated_even, x_rotated_odd
`,
  // \`Q\` is still an argument today: reading today's \`q\` as the old \`Q\` would merge two variables.
  [rottedBug('attention', 'no_scale')]: `--- a/pkg/train.py
+++ b/pkg/train.py
@@ -27,4 +27,3 @@ def attention(Q, K):
-    d_k = Q.shape[-1]
-    return (Q @ K.T) / math.sqrt(d_k)
+    return Q @ K.T
`,
};

/** A temp git repository holding the reference, the rotted patches with their symptoms, and `extra` files (path → text), all committed. */
export function rottedProject(extra: Record<string, string> = {}): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'bug-author-rotted-'));
  const files: Record<string, string> = { 'modes/developer/pkg/train.py': ROTTED_REFERENCE, ...ROTTED_PATCHES, ...extra };
  for (const name of Object.keys(ROTTED_PATCHES)) files[name.replace(/\.patch$/, '_symptom.txt')] = 'Something is off.\n';
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  git(root, 'init', '-q');
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'rotted patches');
  return root;
}

/** Runs git in `root` as a test author. */
export function git(root: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
}
