// One answer, in the form the client asked in: JSON to a JSON request, a page to a browser.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { page, paragraph, type PageContext } from './pages.ts';

export const wantsJson = (req: FastifyRequest) => /^application\/json\b/i.test(req.headers['content-type'] ?? '') || (req.method === 'GET' && /^application\/json\b/i.test(req.headers.accept ?? ''));

export function answer(req: FastifyRequest, reply: FastifyReply, c: PageContext, a: { status: number; code: string; title: string; message: string; html?: string }) {
  reply.code(a.status).header('cache-control', 'no-store');
  if (wantsJson(req)) return reply.type('application/json; charset=utf-8').send({ status: a.code, message: a.message });
  return reply.type('text/html; charset=utf-8').send(page(c, a.title, a.html ?? paragraph(a.message)));
}
