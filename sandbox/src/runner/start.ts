/** The sandbox's command: kernel mode (Jupyter messages, notebooks) or app mode (a Space's demo). */
await import(process.env.ATRIUM_RUNNER_MODE === 'app' ? './appMain.js' : './main.js');
