import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { SignInForm } from "@/components/auth/sign-in-form";
import { getSession } from "@/lib/auth/session";
import { DEFAULT_AFTER_SIGN_IN, safeNextPath } from "@/lib/client/next-path";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: PageProps<"/sign-in">) {
  const next = safeNextPath((await searchParams).next);
  if (await getSession()) redirect(next ?? DEFAULT_AFTER_SIGN_IN);
  return (
    <AuthCard title="Sign in to Tasks" intro="Welcome back. Your list is where you left it.">
      <SignInForm next={next} />
    </AuthCard>
  );
}
