// Starts the dashboard. A file rather than Trunk's inline bootstrap script, so
// the Content-Security-Policy can forbid inline scripts (script-src 'self').
import init from './app.js';
await init({ module_or_path: './app_bg.wasm' });
