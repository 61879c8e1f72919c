import { act, renderHook, waitFor } from '@testing-library/react';
import { mockApis, TestApiProvider } from '@backstage/test-utils';
import { configApiRef } from '@backstage/core-plugin-api';
import type { DeploymentHealth } from '@open-amt-backstage/plugin-open-amt-common';
import { openAmtApiRef } from '../api';
import {
  FIRST_CHECK_REREAD_MS,
  useDeploymentHealth,
} from './useDeploymentHealth';

const unprobed: DeploymentHealth = {
  entityRef: 'system:default/d1',
  name: 'd1',
  status: 'unknown',
  components: [],
};
const probed: DeploymentHealth = {
  ...unprobed,
  status: 'healthy',
  checkedAt: '2026-12-07T00:00:00Z',
};

function renderWith(answers: DeploymentHealth[]) {
  let calls = 0;
  const api = {
    getDeploymentHealth: async () =>
      answers[Math.min(calls++, answers.length - 1)],
  };
  const view = renderHook(
    () => useDeploymentHealth({ namespace: 'default', name: 'd1' }),
    {
      wrapper: ({ children }) => (
        <TestApiProvider
          apis={[
            [openAmtApiRef, api as any],
            [configApiRef, mockApis.config()],
          ]}
        >
          {children}
        </TestApiProvider>
      ),
    },
  );
  return { ...view, calls: () => calls };
}

describe('useDeploymentHealth', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('re-reads a deployment not checked yet until its first check is in, without waiting for a signal', async () => {
    const { result, calls } = renderWith([unprobed, unprobed, probed]);
    await waitFor(() => expect(result.current.health).toEqual(unprobed));
    for (let i = 0; i < 2; i++) {
      await act(async () => {
        jest.advanceTimersByTime(FIRST_CHECK_REREAD_MS);
      });
    }
    await waitFor(() => expect(result.current.health).toEqual(probed));
    const after = calls();
    await act(async () => {
      jest.advanceTimersByTime(FIRST_CHECK_REREAD_MS * 3);
    });
    // Checked: no more re-reads of its own (signals and the safety poll take over).
    expect(calls()).toBe(after);
  });
});
