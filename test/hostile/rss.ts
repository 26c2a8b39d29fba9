// Preloaded (`node --require`) into a process under test: at exit, writes its peak resident
// set size and CPU time to the file named by HOSTILE_RSS_FILE.
import * as fs from 'node:fs';

const out = process.env.HOSTILE_RSS_FILE;
if (out) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    fs.writeFileSync(out, JSON.stringify({ maxRssKb: u.maxRSS, userMs: u.userCPUTime / 1000, systemMs: u.systemCPUTime / 1000 }));
  });
}
