// The language ids both clients (desktop and web) serve: ours, and the one another popular nginx
// extension registers. Imports nothing, so the web bundle can use it.
export const LANGUAGE_IDS = ['nginx', 'NGINX'];
