import { describe, expect, it } from 'vitest';
import { acceptedHosts } from '../src/web/web-server.js';

describe('the web server accepts requests that name it', () => {
  it('with its port, and without it on port 80 (browsers leave the default port out)', () => {
    expect([...acceptedHosts(8123)].sort()).toEqual(['127.0.0.1:8123', 'localhost:8123']);
    expect([...acceptedHosts(80)].sort()).toEqual(['127.0.0.1', '127.0.0.1:80', 'localhost', 'localhost:80']);
  });
});
