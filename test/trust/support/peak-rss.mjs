// Preloaded with --import into a CLI child: on exit, writes the process's peak resident set size (KiB) to the
// file named by RUNNER_DOCTOR_PEAK_RSS_FILE, so a test can bound memory without an external time(1).
import {writeFileSync} from 'node:fs'

const target = process.env.RUNNER_DOCTOR_PEAK_RSS_FILE
if (target) process.on('exit', () => writeFileSync(target, String(process.resourceUsage().maxRSS)))
