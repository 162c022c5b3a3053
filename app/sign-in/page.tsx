import type { Metadata } from "next";
import { AuthCard } from "@/components/auth/auth-card";
import { SignInForm } from "@/components/auth/sign-in-form";
import { nextPathForSignedOutVisitor } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: PageProps<"/sign-in">) {
  const next = await nextPathForSignedOutVisitor((await searchParams).next);
  return (
    <AuthCard title="Sign in to Tasks" intro="Welcome back. Your list is where you left it.">
      <SignInForm next={next} />
    </AuthCard>
  );
}
