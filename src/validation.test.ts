import { defaultPort, parseDuration, validateSettings } from './validation';

describe('parseDuration', () => {
  it.each<[string, number]>([
    ['30s', 30_000],
    ['2m', 120_000],
    ['1h30m', 5_400_000],
    ['1.5s', 1500],
    ['500ms', 500],
    ['30', 30_000],
    ['0', 0],
    ['0s', 0],
    ['-5s', -5000],
  ])('%s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['abc', '5 s', '1.5', '030', 's', '.s', '1d'])('refuses %s', (text) => {
    expect(parseDuration(text)).toBeNaN();
  });
});

describe('validateSettings', () => {
  it('accepts the public instance', () => {
    expect(
      validateSettings({ host: 'sql-clickhouse.clickhouse.com', port: 443, protocol: 'http', secure: true }, {})
    ).toEqual({});
  });

  it('names each wrong setting', () => {
    const errors = validateSettings(
      {
        host: 'https://db.example:9000',
        port: 70000,
        database: '1db',
        dialTimeout: '0s',
        queryTimeout: '31m',
        cacheTTL: 'soon',
        maxOpenConns: 5000,
        cacheSize: -1,
        clickhouseSettings: [
          { name: 'max_threads', value: '4' },
          { name: 'bad name', value: '1' },
        ],
      },
      { tlsClientCert: true }
    );
    expect(Object.keys(errors).sort()).toEqual(
      [
        'host',
        'port',
        'database',
        'dialTimeout',
        'queryTimeout',
        'cacheTTL',
        'maxOpenConns',
        'cacheSize',
        'tlsClientKey',
        'clickhouseSettings.1',
      ].sort()
    );
    expect(errors.host).toMatch(/without scheme or path/);
    expect(errors.queryTimeout).toBe('Out of range 0 to 30m');
  });

  it('requires a host and allows bracketed IPv6', () => {
    expect(validateSettings({}, {}).host).toMatch(/Required/);
    expect(validateSettings({ host: '[::1]' }, {}).host).toBeUndefined();
  });

  it('takes replicas as the backend does', () => {
    for (const ok of ['a,b', 'a:9001, b', '[::1]:9000,[::2]', '10.0.0.1:8123']) {
      expect(validateSettings({ host: ok }, {}).host).toBeUndefined();
    }
    for (const bad of ['a,,b', 'a:99999', '::1', 'http://a', 'a/b', 'a b']) {
      expect(validateSettings({ host: bad }, {}).host).toMatch(/separated by commas/);
    }
  });

  it('reads maxResultBytes and refuses readonly as a setting', () => {
    for (const ok of ['64MiB', '100 MB', 1048576, '1GiB']) {
      expect(validateSettings({ host: 'h', maxResultBytes: ok }, {}).maxResultBytes).toBeUndefined();
    }
    expect(validateSettings({ host: 'h', maxResultBytes: 'lots' }, {}).maxResultBytes).toMatch(/size such as/);
    expect(validateSettings({ host: 'h', maxResultBytes: 10 }, {}).maxResultBytes).toMatch(/Out of range/);
    expect(
      validateSettings({ host: 'h', clickhouseSettings: [{ name: 'readonly', value: '0' }] }, {})[
        'clickhouseSettings.0'
      ]
    ).toMatch(/data source’s own/);
  });

  it('knows the default ports', () => {
    expect([
      defaultPort(undefined, false),
      defaultPort('native', true),
      defaultPort('http', false),
      defaultPort('http', true),
    ]).toEqual([9000, 9440, 8123, 8443]);
  });
});
