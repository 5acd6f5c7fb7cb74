// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');

const swc = base.transform['^.+\\.(t|j)sx?$'];

module.exports = {
  // Jest configuration provided by Grafana scaffolding
  ...base,
  // The editors render all of @grafana/ui; on a busy two-core CI machine a
  // test with several menus can take more than Jest's default 5 s.
  testTimeout: 30000,
  transform: {
    ...base.transform,
    // d3 (through @grafana/data) ships .mjs; without this, tests importing
    // @grafana/data fail with "Unexpected token 'export'" on Node 20.
    '^.+\\.mjs$': swc,
  },
};
