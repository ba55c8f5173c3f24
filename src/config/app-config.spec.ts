import { AppConfig } from './app-config';

describe(AppConfig.name, () => {
  const config = (env: Record<string, string>) => AppConfig.fromEnvironment({}, env);

  it('writes info and above unless LOG_LEVEL says otherwise', () => {
    expect(config({}).logLevels).toEqual(['log', 'warn', 'error', 'fatal']);
    expect(config({ LOG_LEVEL: 'info' }).logLevels).toEqual(['log', 'warn', 'error', 'fatal']);
    expect(config({ LOG_LEVEL: 'warn' }).logLevels).toEqual(['warn', 'error', 'fatal']);
    expect(config({ LOG_LEVEL: 'debug' }).logLevels).toEqual([
      'debug',
      'log',
      'warn',
      'error',
      'fatal',
    ]);
  });

  it('refuses an unknown LOG_LEVEL by name', () => {
    expect(() => config({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });
});
