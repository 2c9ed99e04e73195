import { z } from 'zod';

// Names are checked in full by nameProblem(); the cap here just keeps absurd input out early.
const name = z.string().min(1).max(200);
const password = z
  .string()
  .min(8, 'Password must be at least 8 characters')
  .max(1024, 'Password must be at most 1024 characters');

export const SignUpBody = z.object({
  name,
  password,
  fullname: z.string().max(200).optional(),
  email: z.string().email().max(320).optional(),
});

export const LogInBody = z.object({ name, password: z.string().min(1).max(1024) });

export const CreateTokenBody = z.object({
  displayName: z.string().trim().min(1).max(100),
  role: z.enum(['read', 'write']).default('read'),
});

export const CreateOrgBody = z.object({ name, fullname: z.string().max(200).optional() });

export const SetMemberBody = z.object({ role: z.enum(['admin', 'write', 'read']) });
