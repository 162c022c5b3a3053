import type { Metadata } from "next";
import { AuthCard } from "@/components/auth/auth-card";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { nextPathForSignedOutVisitor } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Sign up" };

export default async function SignUpPage({ searchParams }: PageProps<"/sign-up">) {
  const next = await nextPathForSignedOutVisitor((await searchParams).next);
  return (
    <AuthCard title="Create your account" intro="Free, private, and yours to script: every task is one API call away.">
      <SignUpForm next={next} />
    </AuthCard>
  );
}
