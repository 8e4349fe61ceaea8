/** A command that cannot run as asked (exit 2): a value, like findings, until the CLI prints it. */
export interface UsageError {
  kind: 'usage';
  message: string;
}

export const usageError = (message: string): UsageError => ({ kind: 'usage', message });
