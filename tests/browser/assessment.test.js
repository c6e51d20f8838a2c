// The 考核 page in Debian's chromium (playwright-core): the office opens the
// ranking from the nav, drills into 应急管理局 (its overdue item from the
// demo city's scheduler run), deducts 3 points by form, withdraws them by
// counter-entry; a leader enters the evaluation; the unit's handler sees its
// own score and entries only, at a phone's width, and objects to its
// evaluation, which the office accepts from its 待办; the dashboard's card.  Screenshots in
// tests/artifacts/assessment-*.png.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { startServer } = require('../lib/server.js');

const ART = path.join(__dirname, '..', 'artifacts');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

async function login(ctx, s, who) {
  const page = await ctx.newPage();
  await page.goto(s.url + '/login');
  await page.fill('#username', who);
  await page.fill('#password', s.logins[who]);
  await page.click('button[type=submit]');
  return page;
}
const figure = (page, name) => page.locator(`dl.figures dt:text-is("${name}") + dd`).textContent();

test('the office deducts and withdraws, a leader evaluates, a unit reads its own score', async (t) => {
  fs.mkdirSync(ART, { recursive: true });
  const s = await startServer({ env: { LUOSHI_NOW: '2025-03-03' } });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  t.after(async () => { await browser.close(); await s.stop(); });
  const sup = await s.login('supervisor');
  for (let k = 0; k < 100; k++) { // the start-up run of the scheduler
    if ((await s.api('GET', '/api/v1/deductions', { token: sup })).json.count) break;
    await new Promise((res) => setTimeout(res, 50));
  }
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const page = await login(ctx, s, 'supervisor');
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error' && !/status of 422/.test(m.text())) problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  const shot = (name, p = page) => p.screenshot({ path: path.join(ART, `assessment-${name}.png`), fullPage: true });

  await page.click('nav.main a[href="/assessment"]');
  assert.equal(await page.locator('h1').textContent(), '年度考核 2025');
  assert.deepEqual(await page.locator('section.card h2').allTextContents(), ['部门', '专班', '镇街', '考核异议待处理 0']);
  const last = page.locator('table.ranking').first().locator('tbody tr').last();
  assert.deepEqual(await last.locator('td').allTextContents(), ['9', '应急管理局', '100', '-2', '0', '0', '98']);
  await shot('ranking');

  await last.locator('a').click();
  assert.equal(await figure(page, '得分'), '98');
  assert.equal(await page.locator('table.entries tbody tr td:nth-child(2)').first().textContent(), '逾期未办结');
  await page.selectOption('#kind', 'deduction');
  await page.fill('#points', '3');
  await page.fill('#reason', '未按时报送半年总结');
  await page.click('section.form button[type=submit]');
  assert.equal(await figure(page, '得分'), '95');
  // a bonus without points is refused with the reason, what was typed kept
  await page.selectOption('#kind', 'bonus');
  await page.fill('#reason', '经验推广');
  await page.click('section.form button[type=submit]');
  assert.match(await page.locator('p.alert').textContent(), /分值有误/);
  assert.equal(await page.inputValue('#reason'), '经验推广');
  const row = page.locator('table.entries tbody tr', { hasText: '未按时报送半年总结' });
  await row.locator('input[name=reason]').fill('重复扣分');
  await row.locator('button').click();
  assert.equal(await figure(page, '得分'), '98');
  assert.equal(await page.locator('table.entries .badge').textContent(), '已撤销');
  assert.equal(await page.locator('table.entries tbody tr').count(), 3);
  await shot('unit');

  const lctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const leader = await login(lctx, s, 'leader');
  await leader.goto(s.url + '/assessment?year=2025&unit=5');
  assert.deepEqual(await leader.locator('#kind option').allTextContents(), ['领导评价']);
  await leader.fill('#points', '18');
  await leader.fill('#reason', '年度领导评价');
  await leader.click('section.form button[type=submit]');
  assert.equal(await figure(leader, '得分'), '116');
  assert.equal(await leader.locator('table.entries button').count(), 0, 'a leader withdraws nothing');

  const hctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true });
  const yjj = await login(hctx, s, 'yjj');
  await yjj.goto(s.url + '/assessment');
  assert.equal(await yjj.locator('section.card h2').textContent(), '应急管理局');
  assert.equal(await figure(yjj, '得分'), '116');
  assert.equal(await figure(yjj, '名次'), '1 / 9');
  assert.equal(await yjj.locator('section.form').count(), 0, 'no form for a handler');
  // the unit's one standing manual entry (the evaluation) offers an objection, nothing else
  assert.deepEqual(await yjj.locator('table.entries button').allTextContents(), ['提出异议']);
  await yjj.locator('table.entries input[name=text]').fill('评价未考虑汛期抢险工作');
  await yjj.locator('table.entries button').click();
  assert.equal(await yjj.locator('table.entries .objection .badge').textContent(), '异议待处理');
  assert.equal(await yjj.locator('table.entries button').count(), 0, 'one objection per entry');
  await shot('handler-phone', yjj);

  // the office finds it in its 待办, accepts it with a reason: the evaluation is withdrawn
  await page.goto(s.url + '/inbox');
  const card = page.locator('section.i-objections');
  assert.equal(await card.locator('h2').textContent(), '考核异议待处理 1');
  await card.locator('a').first().click();
  const obj = page.locator('table.entries .objection.pending');
  assert.equal(await obj.locator('q').textContent(), '评价未考虑汛期抢险工作');
  await obj.locator('input[name=reason]').fill('经核实，予以调整');
  await obj.locator('button[value=accept]').click();
  assert.equal(await figure(page, '得分'), '98');
  assert.equal(await page.locator('table.entries .objection .badge').textContent(), '异议已采纳');
  await shot('objection');
  await page.goto(s.url + '/dashboard');
  assert.equal(await page.locator('section.assessment-tile ol.lowest li').count(), 3);
  await shot('dashboard');
  const other = await yjj.goto(s.url + '/assessment?unit=6');
  assert.equal(other.status(), 403);
  assert.deepEqual(problems, []);
});
