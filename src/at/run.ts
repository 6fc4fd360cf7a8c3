// Promise form of Engine.send, for the services. Parameter errors thrown by a builder become rejections.

import { Engine, Command, Response } from './engine';

export function run(engine: Engine, build: () => Command): Promise<Response> {
  return new Promise<Response>(function (resolve, reject) {
    let c: Command;
    try {
      c = build();
    } catch (e) {
      reject(e);
      return;
    }
    engine.send(c, function (err, res) {
      if (err) reject(err);
      else resolve(res!);
    });
  });
}
