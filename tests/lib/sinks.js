// Real receivers for what luoshi sends, started by the tests on loopback
// ports: a tiny SMTP server that keeps every mail it accepts (with optional
// AUTH, refusals and a slow answer), and an HTTP receiver for webhooks and
// the DingTalk robot format (with refusals, slow answers and a record of
// every request).  No mocks of luoshi: these stand where a mail server or a
// city's other system would.
'use strict';
const net = require('node:net');
const http = require('node:http');

// Decode RFC 2047 encoded words (=?UTF-8?B?…?=) and join folded lines.
function decodeWords(s) {
  return s.replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=/gi, (_, b) => Buffer.from(b, 'base64').toString('utf8'));
}

// Parse a mail as it came over SMTP: {headers: {lower-name: value}, body}.
function parseMail(raw) {
  const at = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, at).replace(/\r\n[ \t]+/g, ' ');
  const headers = {};
  for (const line of head.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  let body = raw.slice(at + 4);
  if (/base64/i.test(headers['content-transfer-encoding'] || '')) {
    body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  return { headers, subject: decodeWords(headers.subject || ''), body, raw };
}

// An SMTP server.  opts: {auth: {user, pass}} to require a login; then
// sink.refuse = n refuses the next n mails (451), sink.delayMs delays the
// answer to DATA (the mail is kept first).  sink.mails: every accepted mail,
// parsed, with {from, to}; sink.attempts counts MAIL FROM commands.
async function smtpSink(opts = {}) {
  const sink = { mails: [], attempts: 0, refuse: 0, delayMs: 0, sockets: new Set() };
  const server = net.createServer((sock) => {
    sink.sockets.add(sock);
    sock.on('close', () => sink.sockets.delete(sock));
    sock.on('error', () => {});
    let buf = '', inData = false, data = '', from = null, to = [], authed = !opts.auth, authStep = null;
    const say = (s) => { if (!sock.destroyed) sock.write(s + '\r\n'); };
    say('220 sink.test ESMTP');
    const plain = (b64) => {
      const parts = Buffer.from(b64, 'base64').toString('utf8').split('\0');
      authed = parts[1] === opts.auth.user && parts[2] === opts.auth.pass;
      say(authed ? '235 ok' : '535 bad credentials');
    };
    const command = (line) => {
      if (authStep) {
        if (authStep === 'plain') { authStep = null; return plain(line); }
        if (authStep === 'user') { authStep = Buffer.from(line, 'base64').toString(); return say('334 UGFzc3dvcmQ6'); }
        const user = authStep; authStep = null;
        authed = user === opts.auth.user && Buffer.from(line, 'base64').toString() === opts.auth.pass;
        return say(authed ? '235 ok' : '535 bad credentials');
      }
      const verb = line.slice(0, 4).toUpperCase();
      if (verb === 'EHLO') {
        say('250-sink.test'); if (opts.auth) say('250-AUTH PLAIN LOGIN'); say('250 8BITMIME');
      } else if (verb === 'HELO') say('250 sink.test');
      else if (verb === 'AUTH') {
        const [, mech, arg] = line.split(' ');
        if (!opts.auth) return say('502 no auth here');
        if (/^PLAIN$/i.test(mech)) { if (arg) plain(arg); else { authStep = 'plain'; say('334 '); } }
        else if (/^LOGIN$/i.test(mech)) { authStep = 'user'; say('334 VXNlcm5hbWU6'); }
        else say('504 unknown mechanism');
      } else if (verb === 'MAIL') {
        sink.attempts++;
        if (!authed) return say('530 authentication required');
        if (sink.refuse > 0) { sink.refuse--; return say('451 try again later'); }
        from = (line.match(/<([^>]*)>/) || [])[1]; to = []; say('250 ok');
      } else if (verb === 'RCPT') { to.push((line.match(/<([^>]*)>/) || [])[1]); say('250 ok'); }
      else if (verb === 'DATA') { inData = true; data = ''; say('354 go ahead'); }
      else if (verb === 'RSET' || verb === 'NOOP') say('250 ok');
      else if (verb === 'QUIT') { say('221 bye'); sock.end(); }
      else say('500 unknown command');
    };
    sock.on('data', (chunk) => {
      buf += chunk.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buf.indexOf('\r\n.\r\n');
          if (end < 0) return;
          data += buf.slice(0, end + 2); buf = buf.slice(end + 5); inData = false;
          const raw = data.replace(/\r\n\.\./g, '\r\n.');
          sink.mails.push({ from, to, ...parseMail(raw) });
          if (sink.delayMs) setTimeout(() => say('250 queued'), sink.delayMs); else say('250 queued');
          continue;
        }
        const i = buf.indexOf('\r\n');
        if (i < 0) return;
        const line = buf.slice(0, i); buf = buf.slice(i + 2);
        command(line);
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  sink.port = server.address().port;
  sink.url = `smtp://127.0.0.1:${sink.port}`;
  sink.close = () => new Promise((resolve) => {
    for (const s of sink.sockets) s.destroy();
    server.close(() => resolve());
  });
  return sink;
}

// An HTTP receiver.  Every request is kept in rec.requests as {method, url,
// headers, body, status}; rec.refuse = n answers the next n with 503;
// rec.delayMs delays each answer; rec.answer(req) may give {status, body}.
// rec.accepted: the Idempotency-Keys answered 2xx, once each (a repeat of a
// key is answered 200 but not accepted twice: what an idempotent receiver does).
async function httpReceiver() {
  const rec = { requests: [], accepted: new Map(), refuse: 0, delayMs: 0, answer: null, sockets: new Set() };
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const entry = { method: req.method, url: req.url, headers: req.headers, body };
      rec.requests.push(entry);
      let status = 200, text = '{"errcode":0,"errmsg":"ok"}';
      if (rec.refuse > 0) { rec.refuse--; status = 503; text = 'busy'; }
      else if (rec.answer) ({ status, body: text } = rec.answer(entry));
      entry.status = status;
      const key = req.headers['idempotency-key'];
      const reply = () => {
        if (status >= 200 && status < 300 && key && !rec.accepted.has(key)) rec.accepted.set(key, entry);
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(text);
      };
      if (rec.delayMs) setTimeout(reply, rec.delayMs); else reply();
    });
  });
  server.on('connection', (s) => { rec.sockets.add(s); s.on('close', () => rec.sockets.delete(s)); });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  rec.port = server.address().port;
  rec.url = `http://127.0.0.1:${rec.port}`;
  rec.close = () => new Promise((resolve) => {
    for (const s of rec.sockets) s.destroy();
    server.close(() => resolve());
  });
  return rec;
}

// Wait until check() is truthy (polling every 100 ms), or fail after ms.
async function until(check, ms = 15000, what = 'the condition') {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

module.exports = { smtpSink, httpReceiver, parseMail, decodeWords, until };
