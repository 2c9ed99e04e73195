#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { login } from './cli/login.js';
import { push } from './cli/push.js';
import { main as serve } from './main.js';

const USAGE = `Usage: atrium <command>

  atrium serve                     start the server (configured by ATRIUM_* environment variables)
  atrium login [--url U] [--token T]
                                   save a token for U (asks for user name and password without --token)
  atrium push <dir> <owner/name> [--private] [--message M]
                                   upload a model folder to a model repository (created if missing)

ATRIUM_URL and ATRIUM_TOKEN override the saved login; ATRIUM_HOME moves it from ~/.atrium.`;

/** The `atrium` command line: serve, login, push. */
export async function cli(argv: string[]): Promise<void> {
  const [first, ...rest] = argv;
  const command = first === '--help' || first === '-h' ? 'help' : first;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      token: { type: 'string' },
      private: { type: 'boolean' },
      message: { type: 'string', short: 'm' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !command || command === 'help') {
    console.log(USAGE);
    return;
  }
  switch (command) {
    case 'serve':
      return serve();
    case 'login':
      return login({ url: values.url, token: values.token });
    case 'push': {
      const [dir, repo] = positionals;
      if (!dir || !repo) throw new Error(`atrium push needs a folder and a repository\n\n${USAGE}`);
      return push(dir, repo, { private: values.private, message: values.message });
    }
    default:
      throw new Error(`Unknown command "${command}"\n\n${USAGE}`);
  }
}

cli(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
