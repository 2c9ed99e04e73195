import { benchStartup } from './startup.js';
import { benchWhoAmI } from './whoami.js';

await benchStartup();
await benchWhoAmI();
