import { ChildProcessWithoutNullStreams, spawn } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

/** Vault policy HCL: only `path "<p>" { capabilities = [...] }` blocks with known capabilities, no wildcard root. */
export function checkVaultPolicy(text: string): string[] {
  const issues: string[] = [];
  const body = text.replace(/^#.*$/gm, '').trim();
  const block = /path "([^"]+)" \{\s*capabilities = \[([^\]]*)\]\s*\}/g;
  const rest = body.replace(block, '').trim();
  if (rest) issues.push(`unexpected HCL: ${rest.slice(0, 60)}`);
  const allowed = new Set([
    'create',
    'read',
    'update',
    'patch',
    'delete',
    'list',
  ]);
  let n = 0;
  for (const m of body.matchAll(block)) {
    n++;
    if (m[1] === '*' || m[1].startsWith('sys/'))
      issues.push(`path ${m[1]} is not least privilege`);
    for (const c of m[2]
      .split(',')
      .map(s => s.trim().replace(/"/g, ''))
      .filter(Boolean))
      if (!allowed.has(c)) issues.push(`capability ${c} not allowed`);
  }
  if (!n) issues.push('no path blocks');
  return issues;
}

/** Well-formed XML (elements balanced, attributes quoted); enough for API Management policy documents. */
export function checkXml(text: string): string[] {
  const stack: string[] = [];
  for (const m of text.matchAll(
    /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"]*")*)\s*(\/?)>/g,
  )) {
    if (m[1]) {
      if (stack.pop() !== m[2]) return [`mismatched </${m[2]}>`];
    } else if (!m[4]) stack.push(m[2]);
  }
  const stripped = text.replace(
    /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"]*")*)\s*(\/?)>/g,
    '',
  );
  if (/[<>]/.test(stripped)) return ['stray < or > outside tags'];
  return stack.length ? [`unclosed <${stack.join('>, <')}>`] : [];
}

/**
 * Shell syntax check without running anything: each script becomes the body of a function that a
 * long-lived `bash` defines (defining parses the body, it does not execute it) — the same parser as
 * `bash -n`, without a process spawn per script (which dominated validation time).
 */
class BashSyntaxChecker {
  private proc?: ChildProcessWithoutNullStreams;
  private buffer = '';
  private waiting: ((out: string) => void)[] = [];
  private dir = mkdtempSync(join(tmpdir(), 'open-amt-sh-'));
  private n = 0;

  private start() {
    const proc = spawn('bash', ['--norc', '--noprofile'], { stdio: 'pipe' });
    proc.stdout.on('data', d => this.onData(String(d)));
    proc.stderr.on('data', d => this.onData(String(d)));
    this.proc = proc;
    this.setRef(false);
    return proc;
  }

  /** Keeps Node alive only while a check is pending, so an idle checker never holds a process open. */
  private setRef(on: boolean) {
    const p = this.proc as any;
    for (const h of [p, p?.stdin, p?.stdout, p?.stderr])
      (on ? h?.ref : h?.unref)?.call(h);
  }

  private onData(chunk: string) {
    this.buffer += chunk;
    for (
      let i = this.buffer.indexOf('__OPEN_AMT_DONE__\n');
      i >= 0;
      i = this.buffer.indexOf('__OPEN_AMT_DONE__\n')
    ) {
      const out = this.buffer.slice(0, i);
      this.buffer = this.buffer.slice(i + '__OPEN_AMT_DONE__\n'.length);
      this.waiting.shift()?.(out);
    }
    if (!this.waiting.length) this.setRef(false);
  }

  check(script: string): Promise<string> {
    const proc = this.proc ?? this.start();
    const file = join(this.dir, `s${this.n++ % 8}.sh`);
    writeFileSync(file, `__open_amt_check() {\n${script}\n}\n`);
    this.setRef(true);
    return new Promise(res => {
      this.waiting.push(res);
      proc.stdin.write(
        `source ${file} 2>&1 || true; unset -f __open_amt_check; echo __OPEN_AMT_DONE__\n`,
      );
    });
  }
}

const bash = new BashSyntaxChecker();

export async function checkShell(
  scripts: { path: string; content: string }[],
): Promise<string[]> {
  const issues: string[] = [];
  for (const s of scripts) {
    if (!s.content.startsWith('#!/usr/bin/env bash\n'))
      issues.push(`${s.path}: missing shebang`);
    if (!/set -euo pipefail/.test(s.content))
      issues.push(`${s.path}: missing set -euo pipefail`);
    const out = (await bash.check(s.content)).trim();
    if (out) issues.push(`${s.path}: bash syntax: ${out}`);
  }
  return issues;
}

/** env files: comments or KEY=value; `_REF` values must be store references (scheme:path#key). */
export function checkEnvFile(text: string): string[] {
  const issues: string[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (!m) issues.push(`bad env line: ${line}`);
    else if (
      m[1].endsWith('_REF') &&
      !/^(vault|azure-key-vault|aws-kms):\S+#\w+$/.test(m[2])
    )
      issues.push(`${m[1]} is not a reference: ${m[2]}`);
  }
  return issues;
}
