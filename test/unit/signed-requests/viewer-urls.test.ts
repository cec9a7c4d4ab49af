import { viewerUrls } from '../../../lambda/signed-requests/viewer-urls.ts';

describe('viewerUrls', () => {
  test('the request Host, https unless X-Forwarded-Proto says http', () => {
    expect(viewerUrls({ host: 'abc.lambda-url.us-east-1.on.aws' }, '/a%20b.mp4', '', [])).toEqual([
      'https://abc.lambda-url.us-east-1.on.aws/a%20b.mp4',
    ]);
    expect(viewerUrls({ host: '127.0.0.1:3200', 'x-forwarded-proto': 'http' }, '/a.mp4', 'download=x', [])).toEqual([
      'http://127.0.0.1:3200/a.mp4?download=x',
    ]);
  });

  test('configured public bases first, then the Host', () => {
    expect(
      viewerUrls({ host: 'abc.lambda-url.us-east-1.on.aws' }, '/a.mp4', '', [
        'https://media.example.com',
        'https://d111.cloudfront.net',
      ]),
    ).toEqual([
      'https://media.example.com/a.mp4',
      'https://d111.cloudfront.net/a.mp4',
      'https://abc.lambda-url.us-east-1.on.aws/a.mp4',
    ]);
  });

  test('a Host with odd characters is not used', () => {
    expect(viewerUrls({ host: 'evil/"x' }, '/a.mp4', '', [])).toEqual([]);
  });
});
