// Downloads Debian sid packages with the ordinary apt client and unpacks them (dpkg -x, no install) into a cached
// folder, for test servers that Debian stable lacks. A private sources list and state keep the system on stable.
// Works as root or as a normal user (no lock on the system's apt state is taken).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function cacheRoot() {
  return process.env.LENGTHWISE_HOST_CACHE || path.join(os.homedir(), '.cache', 'lengthwise-host');
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  if (r.error) throw new Error(`${cmd} could not run: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.slice(-3).join(' ')} failed (exit ${r.status}):\n${(r.stderr || r.stdout).slice(-2000)}`);
  return r.stdout;
}

/**
 * Unpacks `packages` from sid into `<dir>/root` and returns that folder. The caller decides (by a marker of its own)
 * whether this is needed; this always downloads afresh into a clean root.
 * @param {string} dir the cache folder for this set of packages
 * @param {string[]} packages Debian package names
 * @param {(msg: string) => void} log
 */
export function unpackFromSid(dir, packages, log) {
  for (const tool of ['apt-get', 'dpkg']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) throw new Error(`${tool} not found: a Debian-based system is needed to fetch ${packages.join(' ')}`);
  }
  const lists = path.join(dir, 'lists');
  const cache = path.join(dir, 'cache');
  const debs = path.join(dir, 'debs');
  const root = path.join(dir, 'root');
  fs.rmSync(debs, { recursive: true, force: true });
  fs.rmSync(root, { recursive: true, force: true });
  for (const d of [path.join(lists, 'partial'), path.join(cache, 'archives', 'partial'), debs, root]) fs.mkdirSync(d, { recursive: true });
  const sources = path.join(dir, 'sources.list');
  fs.writeFileSync(sources, 'deb http://deb.debian.org/debian sid main\n');
  const opts = [
    '-o', `Dir::Etc::SourceList=${sources}`,
    '-o', 'Dir::Etc::SourceParts=/dev/null',
    '-o', `Dir::State::Lists=${lists}`,
    '-o', `Dir::Cache=${cache}`,
    '-o', 'Debug::NoLocking=1',
    '-o', 'APT::Sandbox::User=root', // downloads land in folders the _apt user may not own
  ];
  log(`apt-get update (Debian sid lists into ${lists})`);
  run('apt-get', [...opts, '-qq', 'update']);
  log(`apt-get download ${packages.join(' ')}`);
  run('apt-get', [...opts, '-qq', 'download', ...packages], { cwd: debs });
  const files = fs.readdirSync(debs).filter((f) => f.endsWith('.deb'));
  if (files.length < packages.length) throw new Error(`expected ${packages.length} .deb files in ${debs}, found ${files.join(', ') || 'none'}`);
  for (const f of files) run('dpkg', ['-x', path.join(debs, f), root]);
  return { root, debs: files };
}
