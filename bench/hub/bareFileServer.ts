// The peer for downloads: a bare node:http server streaming one file with fs.createReadStream.
import fs from 'node:fs';
import http from 'node:http';

const file = process.env.FILE!;
const size = fs.statSync(file).size;
http
  .createServer((_req, res) => {
    res.writeHead(200, { 'Content-Length': size, 'Content-Type': 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  })
  .listen(Number(process.env.PORT), '127.0.0.1', () => console.log('READY'));
