// The routes a fuzz world's hub serves: its OpenAPI document's operations, then any route the app serves that the
// document leaves out (the docs page and its assets, the console), so a new route is covered as soon as it is added.
import type { Endpoint } from "./requests";
import type { FuzzWorld } from "./world";

export function endpoints(world: FuzzWorld): Endpoint[] {
  const documented = Object.entries(world.doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
  );
  const known = new Set(documented.map((e) => `${e.method} ${e.path}`));
  const served: Endpoint[] = [];
  for (const route of world.p.hub.app.routes) {
    if (route.method === "ALL") continue; // middleware
    const path = route.path.replace(/:([^/{]+)(\{[^}]*\})?/g, "{$1}");
    if (known.has(`${route.method} ${path}`)) continue;
    known.add(`${route.method} ${path}`);
    served.push({ method: route.method, path, operation: {} });
  }
  return [...documented, ...served];
}
