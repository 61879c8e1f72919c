import { chosenProviderInfos } from '../../../render/providers';
import type { ConformanceRule } from '../types';

export const notVerifiedRule: ConformanceRule = {
  id: 'runbook.not-verified',
  fact:
    "Where a chosen provider's behaviour is modelled from vendor documentation only (its row's notVerified), the " +
    'runbook says so in those words, so the operator checks it before relying on it.',
  source:
    'issue 18 ("Where we cannot be sure, the registry\'s row says what is not verified, in the picker, runbook and card")',
  check(out) {
    const runbook = out.file('README.md');
    if (!runbook) return [];
    return chosenProviderInfos(out.spec)
      .filter(p => p.notVerified && !runbook.includes(p.notVerified))
      .map(p => `README.md: does not say what of ${p.label} is not verified`);
  },
};
