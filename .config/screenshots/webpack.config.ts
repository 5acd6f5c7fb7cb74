import os from 'os';
import path from 'path';
import type { Configuration } from 'webpack';

// Bundles page.tsx with React, @grafana/ui and Monaco (no externals), for
// the screenshot harness only.
export const outDir = path.join(os.tmpdir(), 'clickpy-screenshots', 'site');

const config: Configuration = {
  mode: 'development',
  devtool: false,
  context: __dirname,
  entry: { page: './page.tsx' },
  output: { path: outDir, filename: '[name].js', publicPath: '/', clean: true },
  resolve: { extensions: ['.js', '.jsx', '.ts', '.tsx', '.mjs'] },
  performance: { hints: false },
  module: {
    rules: [
      {
        exclude: /node_modules/,
        test: /\.[tj]sx?$/,
        use: {
          loader: 'swc-loader',
          options: {
            jsc: {
              target: 'es2020',
              parser: { syntax: 'typescript', tsx: true },
              transform: { react: { runtime: 'classic' } },
            },
          },
        },
      },
      // @grafana/ui's table imports OpenLayers paths without extensions and
      // CommonJS packages' defaults (react-custom-scrollbars-2) from .mjs
      // files, which webpack otherwise takes as strict ES modules.
      { test: /\.mjs$/, include: /node_modules/, type: 'javascript/auto', resolve: { fullySpecified: false } },
      { test: /\.css$/, use: ['style-loader', 'css-loader'] },
      { test: /\.(png|jpe?g|gif|svg|woff2?|ttf|eot)$/, type: 'asset/resource' },
    ],
  },
};

export default config;
