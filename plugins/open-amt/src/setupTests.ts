import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// MUI + material-table in jsdom are slow on a busy CI machine; wait longer than the defaults.
configure({ asyncUtilTimeout: 5_000 });
jest.setTimeout(30_000);

// jsdom has no ResizeObserver; recharts' ResponsiveContainer needs one (browsers all have it).
if (typeof window !== 'undefined' && !('ResizeObserver' in window)) {
  (window as any).ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
}
