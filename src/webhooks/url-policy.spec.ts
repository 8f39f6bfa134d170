import { checkWebhookUrl, isPublicAddress } from './url-policy.js';

describe('the webhook URL policy', () => {
  it.each(['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '::1', '::', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1'])(
    'counts %s as not public',
    (address) => expect(isPublicAddress(address)).toBe(false),
  );

  it.each(['93.184.215.14', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('counts %s as public', (address) => expect(isPublicAddress(address)).toBe(true));

  it.each(['http://127.0.0.1:8080/hook', 'http://[::1]/hook', 'https://10.0.0.7/hook', 'http://localhost/hook', 'http://169.254.169.254/latest/meta-data', 'http://[::ffff:7f00:1]/hook'])(
    'refuses %s without the setting, and takes it with it',
    async (url) => {
      await expect(checkWebhookUrl(url, false)).rejects.toMatchObject({ code: 'WEBHOOK_URL_NOT_ALLOWED' });
      await expect(checkWebhookUrl(url, true)).resolves.toBeInstanceOf(URL);
    },
  );

  it.each(['ftp://example.com/hook', 'file:///etc/passwd', 'not a url', 'javascript:alert(1)'])('refuses %s with or without the setting', async (url) => {
    await expect(checkWebhookUrl(url, true)).rejects.toMatchObject({ code: 'WEBHOOK_URL_NOT_ALLOWED' });
  });

  it('takes a public address as written', async () => {
    await expect(checkWebhookUrl('https://93.184.215.14/hook', false)).resolves.toBeInstanceOf(URL);
  });
});
