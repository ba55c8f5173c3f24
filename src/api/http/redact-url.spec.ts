import { redactUrl } from './redact-url';

describe('redactUrl', () => {
  it('hides credential values in the query and keeps the rest', () => {
    expect(redactUrl('/api/v1/extraction/jobs/1/events?access_token=eyJ.a.b&x=1')).toBe(
      '/api/v1/extraction/jobs/1/events?access_token=[redacted]&x=1',
    );
    expect(redactUrl('/a?x=1&ACCESS_TOKEN=abc#f')).toBe('/a?x=1&ACCESS_TOKEN=[redacted]#f');
    expect(redactUrl('/a?token=abc&api_key=k')).toBe('/a?token=[redacted]&api_key=[redacted]');
  });

  it('leaves URLs without credentials alone', () => {
    expect(redactUrl('/api/v1/extraction/jobs?page=2&mytoken_count=3')).toBe(
      '/api/v1/extraction/jobs?page=2&mytoken_count=3',
    );
  });
});
