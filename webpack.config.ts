import type { Configuration } from 'webpack';

import grafanaConfig, { type Env } from './.config/webpack/webpack.config.ts';

// Extends the scaffolded config (.config/webpack) for this repository:
// - one entry, src/module.ts (the scaffold globs **/src/**/plugin.json from
//   the top, which also walks node_modules);
// - plugin.json stays at the top of the repository, where the Go SDK build
//   reads it; src/plugin.json is a symlink to it, so the scaffold's copy step
//   puts it into dist/ with %VERSION% and %TODAY% filled in;
// - dist/ cleaning keeps the backend binaries (the project's commands go
//   to bin/, outside the plugin).
const config = async (env: Env): Promise<Configuration> => {
  const base = await grafanaConfig(env);
  return {
    ...base,
    entry: { module: './module.ts' },
    output: {
      ...base.output,
      clean: {
        keep: /^(.*_(amd64|arm(64)?)(\.exe)?$|go_plugin_build_manifest$)/,
      },
    },
  };
};

export default config;
