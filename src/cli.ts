// The bundle's entry: run the CLI. Tests import main() from main.ts instead.
import { finish } from './io.js';
import { main } from './main.js';

main(process.argv.slice(2)).then((code) => finish(code, 'turn'));
