import http from 'node:http';

/**
 * Memory a running Docker container uses, in bytes, as `docker stats` counts it (usage minus the page
 * cache the kernel can drop), read from the Engine API on its socket; null when it cannot be read.
 * Only the benchmarks ask (idle kernel memory): the server has no use for it.
 */
export function containerMemoryBytes(
  id: string,
  socketPath = '/var/run/docker.sock',
): Promise<number | null> {
  return new Promise((resolve) => {
    const req = http.get(
      { socketPath, path: `/containers/${encodeURIComponent(id)}/stats?stream=false` },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => {
          try {
            const m = (
              JSON.parse(body) as {
                memory_stats?: {
                  usage?: number;
                  stats?: { cache?: number; total_inactive_file?: number; inactive_file?: number };
                };
              }
            ).memory_stats;
            if (!m?.usage) return resolve(null);
            const cache = m.stats?.inactive_file ?? m.stats?.total_inactive_file ?? m.stats?.cache ?? 0;
            resolve(m.usage - cache);
          } catch {
            resolve(null);
          }
        });
      },
    );
    req.on('error', () => resolve(null));
  });
}
