import { JOBS_PER_FETCHER, MAX_FETCHERS, fetcherShares } from './fetcher-shares';

describe('fetcherShares', () => {
  it.each<[number, number[]]>([
    [1, [1]],
    [10, [10]],
    [JOBS_PER_FETCHER, [JOBS_PER_FETCHER]],
    [JOBS_PER_FETCHER + 1, [129, 128]],
    [1_000, [250, 250, 250, 250]],
    [4_100, [513, 513, 513, 513, 512, 512, 512, 512]],
  ])('splits %i jobs as %j', (jobs, shares) => {
    expect(fetcherShares(jobs)).toEqual(shares);
  });

  it('never runs more than MAX_FETCHERS, and the shares add up', () => {
    const shares = fetcherShares(100_000);
    expect(shares).toHaveLength(MAX_FETCHERS);
    expect(shares.reduce((sum, share) => sum + share, 0)).toBe(100_000);
  });
});
