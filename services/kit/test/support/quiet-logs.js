// Services started by tests log nothing unless asked (LOG_LEVEL=info npx jest …); a test that reads
// log lines captures them itself (kit/testing: captureLogs).
process.env.LOG_LEVEL ??= 'silent';
