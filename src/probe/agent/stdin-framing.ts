/*
 * Attach mode sends the check program over exec's stdin. It must not wait for stdin to end: on API servers that only
 * speak the v4 exec protocol (before Kubernetes 1.30) the client cannot half-close stdin, and closing it closes the
 * whole stream, so the program would lose its output and its exit status. The program's length travels as an
 * argument instead, and a small loader reads exactly that many bytes, then runs them.
 */

/** Argument 1 of the loader: seen in `ps` inside the pod, and what the agent skips when it looks for its options. */
export const STDIN_AGENT_NAME = 'runner-doctor-agent-stdin'

/** Exit code when stdin ended before the announced length arrived. */
export const SHORT_STDIN_EXIT = 90
export const SHORT_STDIN_MESSAGE = 'runner-doctor: stdin ended before the whole check program arrived'

/**
 * Reads argv[2] bytes from stdin, stops reading (so the open stdin keeps nothing alive), and runs them as a CommonJS
 * module body. Kept short: it travels in the exec URL's query string. ES2015 only, so an old node still reports.
 */
const LOADER = [
  'var n=+process.argv[2],c=[],l=0,s=process.stdin;',
  's.on("data",function(d){c.push(d);l+=d.length;if(l<n)return;',
  's.removeAllListeners("data");s.removeAllListeners("end");s.pause();if(s.unref)s.unref();',
  'var src=Buffer.concat(c).subarray(0,n).toString("utf8");',
  'new Function("require","module","exports","__filename","__dirname",src)(require,module,exports,"agent.cjs",".")});',
  `s.on("end",function(){process.stderr.write(${JSON.stringify(SHORT_STDIN_MESSAGE)}+" ("+l+" ` +
    `of "+n+" bytes)\\n");process.exit(${SHORT_STDIN_EXIT})})`,
].join('')

export interface StdinAgentInvocation {
  command: string[]
  /** Sent on stdin; the caller keeps stdin open afterwards. */
  stdin: Buffer
}

export function stdinAgentInvocation(agentSource: string, optionsJson: string): StdinAgentInvocation {
  const stdin = Buffer.from(agentSource, 'utf8')
  return {command: ['node', '-e', LOADER, STDIN_AGENT_NAME, String(stdin.length), optionsJson], stdin}
}
