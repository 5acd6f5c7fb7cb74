// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';

// @grafana/ui's select menus watch their scroll edges and sizes; jsdom has
// neither observer.
class NoopObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
  takeRecords() {
    return [];
  }
}
Object.assign(global, {
  IntersectionObserver: global.IntersectionObserver ?? NoopObserver,
  ResizeObserver: global.ResizeObserver ?? NoopObserver,
});

// i18next (through @grafana/ui) advertises itself on init.
const info = console.info;
console.info = (...args) => {
  if (typeof args[0] === 'string' && args[0].includes('i18next')) {
    return;
  }
  info(...args);
};
