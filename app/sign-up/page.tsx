import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { getSession } from "@/lib/auth/session";
import { DEFAULT_AFTER_SIGN_IN, safeNextPath } from "@/lib/client/next-path";

export const metadata: Metadata = { title: "Sign up" };

export default async function SignUpPage({ searchParams }: PageProps<"/sign-up">) {
  const next = safeNextPath((await searchParams).next);
  if (await getSession()) redirect(next ?? DEFAULT_AFTER_SIGN_IN);
  return (
    <AuthCard title="Create your account" intro="Free, private, and yours to script: every task is one API call away.">
      <SignUpForm next={next} />
    </AuthCard>
  );
}
