import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { TEST_ORGANIZER_API_KEY } from '../support/organizer-key.js';

const ARTIFACTS = join(import.meta.dirname, '..', '..', 'artifacts');

let testApp: TestApp;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  testApp = await createTestApp();
  const address = testApp.app.getHttpServer().address() as { port: number };
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`http://127.0.0.1:${address.port}/docs`);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await testApp.close();
});

/** Enters the organiser's API key in Swagger UI's "Authorize" dialog, as an organiser would. */
async function authorize(apiKey: string): Promise<void> {
  await page.getByRole('button', { name: 'Authorize' }).first().click();
  const dialog = page.locator('.modal-ux');
  await dialog.locator('#auth-bearer-value').fill(apiKey);
  await dialog.getByRole('button', { name: 'Apply credentials' }).click();
  await dialog.getByRole('button', { name: 'Close' }).click();
}

/** Opens an operation in Swagger UI, presses "Try it out", lets `fill` edit the form, presses "Execute". */
async function tryItOut(operationId: string, fill: (operation: Locator) => Promise<void> = async () => undefined): Promise<Locator> {
  const operation = page.locator(`[id$="-${operationId}"]`);
  await operation.locator('.opblock-summary').click();
  await operation.getByRole('button', { name: 'Try it out' }).click();
  await fill(operation);
  await operation.getByRole('button', { name: 'Execute' }).click();
  return operation.locator('.live-responses-table tbody .response');
}

describe('Swagger UI at /docs', () => {
  it('creates an event and books a seat with "Try it out", showing 201 both times', async () => {
    await authorize(TEST_ORGANIZER_API_KEY);
    const created = await tryItOut('EventsController_create');
    await expect(created.locator('.response-col_status').innerText()).resolves.toBe('201');
    const event = JSON.parse(await created.locator('.response-col_description pre').first().innerText()) as { id: number };

    const booked = await tryItOut('BookingsController_book', async (operation) => {
      await operation.locator('input[placeholder="id"]').fill(String(event.id));
    });
    await expect(booked.locator('.response-col_status').innerText()).resolves.toBe('201');
    await booked.scrollIntoViewIfNeeded();

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'swagger-ui-booking.png') });
    const body = JSON.parse(await booked.locator('.response-col_description pre').first().innerText()) as { event_id: number; quantity: number };
    expect(body).toMatchObject({ event_id: event.id, quantity: 2 });
  });

  it('shows each error status with an example of its own: statusCode, phrase and code of that status', async () => {
    const operation = page.locator('[id$="-EventsController_findOne"]');
    await operation.locator('.opblock-summary').click();
    for (const [status, error, code] of [['404', 'Not Found', 'EVENT_NOT_FOUND'], ['503', 'Service Unavailable', 'DATABASE_UNAVAILABLE']] as const) {
      const example = JSON.parse(await operation.locator(`tr.response[data-code="${status}"] .highlight-code pre`).first().innerText()) as Record<string, unknown>;
      expect(example).toMatchObject({ statusCode: Number(status), error, code });
      expect(example).not.toHaveProperty('error_id');
    }
  });
});
