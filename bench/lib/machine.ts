import os from 'node:os';

/** The machine a benchmark ran on, printed in every report. */
export interface MachineInfo {
  /** CPU model, e.g. "AMD EPYC 7B13". */
  cpuModel: string;
  /** Logical CPUs this process sees. */
  cores: number;
  /** Total memory in GiB, rounded to one decimal. */
  memoryGiB: number;
  /** e.g. "v20.19.4". */
  nodeVersion: string;
  /** The Redis server's version. */
  redisVersion: string;
  /** Whether the benchmark started that Redis itself (else it came from REDIS_URL). */
  redisOwned: boolean;
  /** e.g. "Linux 6.1.0 x64". */
  os: string;
  /** The 1-minute load average when the scenario started; a high one means others shared the CPUs. */
  loadAverage1m: number;
}

/** Describes this machine and the Redis in use. */
export function describeMachine(redisVersion: string, redisOwned: boolean): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    nodeVersion: process.version,
    redisVersion,
    redisOwned,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage1m: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
  };
}

/** One line for a report, e.g. "2 × AMD EPYC, 23.5 GiB, Linux 6.1 x64, Node v20.19.4, Redis 7.0.15 (own server), load 1.2". */
export function machineLine(machine: MachineInfo): string {
  return `${machine.cores} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.nodeVersion}, Redis ${machine.redisVersion} (${machine.redisOwned ? 'own server' : 'REDIS_URL'}), load average ${machine.loadAverage1m} at start`;
}
