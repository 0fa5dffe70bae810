(** * Roots of a real monic quadratic z^2 + a1 z + a0, its spectral radius in
      closed form, and the Schur-Jury test (theorem 2 of proofs/README.md). *)
Require Import Reals Lra Psatz.
Open Scope R_scope.

(** (x, y) represents the complex number x + i y; it is a root of
    z^2 + a1 z + a0 iff the real and imaginary parts of p(x + i y) vanish. *)
Definition is_root (a1 a0 x y : R) : Prop :=
  x * x - y * y + a1 * x + a0 = 0 /\ 2 * x * y + a1 * y = 0.

Definition disc (a1 a0 : R) : R := a1 * a1 - 4 * a0.

(** Closed-form spectral radius (largest root modulus). *)
Definition rho2 (a1 a0 : R) : R :=
  if Rlt_dec (disc a1 a0) 0 then sqrt a0 else (Rabs a1 + sqrt (disc a1 a0)) / 2.

(** "every root strictly inside the unit disk" *)
Definition roots_inside (a1 a0 : R) : Prop :=
  forall x y, is_root a1 a0 x y -> x * x + y * y < 1.

(** "every root in the closed disk of radius r" *)
Definition roots_within (r a1 a0 : R) : Prop :=
  forall x y, is_root a1 a0 x y -> x * x + y * y <= r * r.

Lemma sqr_sqrt' : forall u, 0 <= u -> sqrt u * sqrt u = u.
Proof. intros; apply sqrt_sqrt; auto. Qed.

Lemma Rabs_sqr : forall u, Rabs u * Rabs u = u * u.
Proof. intros u; unfold Rabs; destruct (Rcase_abs u); ring. Qed.

Lemma Rabs_bounds : forall u, - Rabs u <= u <= Rabs u.
Proof. intros u; unfold Rabs; destruct (Rcase_abs u); lra. Qed.

Lemma rho2_nonneg : forall a1 a0, 0 <= rho2 a1 a0.
Proof.
  intros a1 a0; unfold rho2; destruct (Rlt_dec (disc a1 a0) 0).
  - apply sqrt_pos.
  - pose proof (Rabs_pos a1); pose proof (sqrt_pos (disc a1 a0)); lra.
Qed.

(** rho2 only depends on |a1|. *)
Lemma rho2_abs : forall a1 a0, rho2 a1 a0 = rho2 (Rabs a1) a0.
Proof.
  intros a1 a0; unfold rho2, disc; rewrite Rabs_sqr, Rabs_Rabsolu; reflexivity.
Qed.

(** ** rho2 is the largest modulus of a root *)
Theorem rho2_bounds_roots : forall a1 a0 x y,
  is_root a1 a0 x y -> x * x + y * y <= rho2 a1 a0 * rho2 a1 a0.
Proof.
  intros a1 a0 x y [Hre Him].
  assert (Hy : y = 0 \/ 2 * x + a1 = 0).
  { apply Rmult_integral; lra. }
  unfold rho2, disc.
  destruct Hy as [-> | Hx].
  - (* real root: (2x + a1)^2 = disc *)
    assert (HD : a1 * a1 - 4 * a0 = (2 * x + a1) * (2 * x + a1)) by nra.
    destruct (Rlt_dec (a1 * a1 - 4 * a0) 0) as [Hlt | _].
    { exfalso; rewrite HD in Hlt; pose proof (Rle_0_sqr (2 * x + a1)); unfold Rsqr in *; lra. }
    rewrite HD. change ((2 * x + a1) * (2 * x + a1)) with (Rsqr (2 * x + a1)). rewrite sqrt_Rsqr_abs.
    pose proof (Rabs_triang (2 * x + a1) (- a1)) as Ht.
    rewrite Rabs_Ropp in Ht.
    replace (2 * x + a1 + - a1) with (2 * x) in Ht by ring.
    rewrite Rabs_mult, (Rabs_right 2) in Ht by lra.
    pose proof (Rabs_pos x); pose proof (Rabs_pos a1); pose proof (Rabs_pos (2 * x + a1)).
    assert (Hxx : x * x = Rabs x * Rabs x) by (rewrite Rabs_sqr; ring).
    nra.
  - (* x = -a1/2, y^2 = -disc/4 *)
    assert (Hx' : x = - a1 / 2) by lra. subst x.
    assert (Hyy : y * y = a0 - a1 * a1 / 4) by nra.
    destruct (Rlt_dec (a1 * a1 - 4 * a0) 0) as [Hlt | Hge].
    + rewrite sqr_sqrt' by nra. nra.
    + assert (HD0 : a1 * a1 - 4 * a0 = 0) by nra.
      rewrite HD0, sqrt_0.
      rewrite <- (Rabs_sqr a1) in Hyy. nra.
Qed.

Theorem rho2_attained : forall a1 a0, exists x y,
  is_root a1 a0 x y /\ x * x + y * y = rho2 a1 a0 * rho2 a1 a0.
Proof.
  intros a1 a0; unfold rho2, disc.
  destruct (Rlt_dec (a1 * a1 - 4 * a0) 0) as [Hlt | Hge].
  - exists (- a1 / 2), (sqrt (- (a1 * a1 - 4 * a0)) / 2).
    assert (Hs := sqr_sqrt' (- (a1 * a1 - 4 * a0)) ltac:(lra)).
    rewrite sqr_sqrt' by nra.
    unfold is_root; split; [split|]; nra.
  - set (d := sqrt (a1 * a1 - 4 * a0)).
    assert (Hd : d * d = a1 * a1 - 4 * a0) by (apply sqr_sqrt'; lra).
    assert (Hd0 : 0 <= d) by apply sqrt_pos.
    destruct (Rle_dec a1 0) as [Ha | Ha].
    + exists ((- a1 + d) / 2), 0.
      rewrite Rabs_left1 by lra.
      unfold is_root; split; [split|]; nra.
    + exists ((- a1 - d) / 2), 0.
      rewrite Rabs_right by lra.
      unfold is_root; split; [split|]; nra.
Qed.

(** The spectral radius bounds are equivalent to the root conditions. *)
Lemma roots_within_iff_rho2 : forall r a1 a0, 0 <= r ->
  (roots_within r a1 a0 <-> rho2 a1 a0 <= r).
Proof.
  intros r a1 a0 Hr; split.
  - intros H. destruct (rho2_attained a1 a0) as [x [y [Hroot Heq]]].
    specialize (H x y Hroot). pose proof (rho2_nonneg a1 a0). nra.
  - intros H x y Hroot. pose proof (rho2_bounds_roots a1 a0 x y Hroot).
    pose proof (rho2_nonneg a1 a0). nra.
Qed.

Lemma roots_inside_iff_rho2 : forall a1 a0,
  roots_inside a1 a0 <-> rho2 a1 a0 < 1.
Proof.
  intros a1 a0; split.
  - intros H. destruct (rho2_attained a1 a0) as [x [y [Hroot Heq]]].
    specialize (H x y Hroot). pose proof (rho2_nonneg a1 a0). nra.
  - intros H x y Hroot. pose proof (rho2_bounds_roots a1 a0 x y Hroot).
    pose proof (rho2_nonneg a1 a0). nra.
Qed.

(** ** Theorem 2: Schur-Jury for degree 2, closed-form version. *)
Theorem schur_jury_rho : forall a1 a0,
  rho2 a1 a0 < 1 <-> Rabs a0 < 1 /\ Rabs a1 < 1 + a0.
Proof.
  intros a1 a0; unfold rho2, disc.
  pose proof (Rabs_pos a1) as Ha1. pose proof (Rabs_sqr a1) as Hsq.
  destruct (Rlt_dec (a1 * a1 - 4 * a0) 0) as [Hlt | Hge].
  - assert (Ha0 : 0 < a0) by nra.
    pose proof (sqrt_pos a0) as Hs0. pose proof (sqr_sqrt' a0 ltac:(lra)) as Hs.
    rewrite (Rabs_right a0) by lra.
    split.
    + intros H. split; [nra |].
      (* |a1| < 2 sqrt a0 <= 1 + a0 *)
      assert (Rabs a1 < 2 * sqrt a0) by nra. nra.
    + intros [H1 H2]. nra.
  - set (d := sqrt (a1 * a1 - 4 * a0)).
    assert (Hd : d * d = a1 * a1 - 4 * a0) by (apply sqr_sqrt'; lra).
    assert (Hd0 : 0 <= d) by apply sqrt_pos.
    split.
    + intros H.
      assert (Hlt2 : Rabs a1 < 2) by lra.
      assert (Hd' : d < 2 - Rabs a1) by lra.
      assert (Hj : Rabs a1 < 1 + a0) by nra.
      split; [| exact Hj].
      unfold Rabs at 1; destruct (Rcase_abs a0); nra.
    + intros [H1 H2].
      assert (Ha0 : a0 < 1) by (unfold Rabs in H1; destruct (Rcase_abs a0); lra).
      (* d^2 = a1^2 - 4 a0 < (2 - |a1|)^2 *)
      assert (d * d < (2 - Rabs a1) * (2 - Rabs a1)) by nra.
      assert (d < 2 - Rabs a1) by nra.
      lra.
Qed.

(** Theorem 2, root-pair version: both roots of z^2 + a1 z + a0 are strictly
    inside the unit disk iff |a0| < 1 and |a1| < 1 + a0. *)
Theorem schur_jury : forall a1 a0,
  roots_inside a1 a0 <-> Rabs a0 < 1 /\ Rabs a1 < 1 + a0.
Proof.
  intros a1 a0. rewrite roots_inside_iff_rho2. apply schur_jury_rho.
Qed.

(** ** Scaled Schur-Jury: for r > 0, rho <= r iff |a0| <= r^2 and
    r |a1| <= r^2 + a0 (i.e. |a1| <= r + a0 / r). *)
Theorem schur_jury_scaled_rho : forall r a1 a0, 0 < r ->
  (rho2 a1 a0 <= r <-> Rabs a0 <= r * r /\ r * Rabs a1 <= r * r + a0).
Proof.
  intros r a1 a0 Hr; unfold rho2, disc.
  pose proof (Rabs_pos a1) as Ha1. pose proof (Rabs_sqr a1) as Hsq.
  destruct (Rlt_dec (a1 * a1 - 4 * a0) 0) as [Hlt | Hge].
  - assert (Ha0 : 0 < a0) by nra.
    pose proof (sqrt_pos a0) as Hs0. pose proof (sqr_sqrt' a0 ltac:(lra)) as Hs.
    rewrite (Rabs_right a0) by lra.
    split.
    + intros H. split; [nra |].
      assert (Rabs a1 < 2 * sqrt a0) by nra.
      (* r^2 + a0 - 2 r sqrt a0 = (r - sqrt a0)^2 >= 0 *)
      nra.
    + intros [H1 H2]. nra.
  - set (d := sqrt (a1 * a1 - 4 * a0)).
    assert (Hd : d * d = a1 * a1 - 4 * a0) by (apply sqr_sqrt'; lra).
    assert (Hd0 : 0 <= d) by apply sqrt_pos.
    split.
    + intros H.
      assert (Hd' : d <= 2 * r - Rabs a1) by lra.
      assert (Hj : r * Rabs a1 <= r * r + a0) by nra.
      split; [| exact Hj].
      unfold Rabs at 1; destruct (Rcase_abs a0); nra.
    + intros [H1 H2].
      assert (Ha0 : a0 <= r * r) by (unfold Rabs in H1; destruct (Rcase_abs a0); lra).
      assert (Hle : Rabs a1 <= 2 * r) by nra.
      assert (d * d <= (2 * r - Rabs a1) * (2 * r - Rabs a1)) by nra.
      assert (d <= 2 * r - Rabs a1) by nra.
      lra.
Qed.

Corollary schur_jury_scaled_rho_div : forall r a1 a0, 0 < r ->
  (rho2 a1 a0 <= r <-> Rabs a0 <= r * r /\ Rabs a1 <= r + a0 / r).
Proof.
  intros r a1 a0 Hr. rewrite schur_jury_scaled_rho by exact Hr.
  assert (E : r * (r + a0 / r) = r * r + a0) by (field; lra).
  split; intros [H1 H2]; split; auto.
  - apply (Rmult_le_reg_l r); [exact Hr | lra].
  - rewrite <- E. apply Rmult_le_compat_l; lra.
Qed.

(** Root-pair version of the scaled test. *)
Theorem schur_jury_scaled : forall r a1 a0, 0 < r ->
  (roots_within r a1 a0 <-> Rabs a0 <= r * r /\ Rabs a1 <= r + a0 / r).
Proof.
  intros r a1 a0 Hr. rewrite roots_within_iff_rho2 by lra.
  apply schur_jury_scaled_rho_div; exact Hr.
Qed.

(** rho2 is even and nondecreasing in |a1| for fixed a0. *)
Theorem rho2_monotone_abs : forall a1 b1 a0,
  Rabs a1 <= Rabs b1 -> rho2 a1 a0 <= rho2 b1 a0.
Proof.
  intros a1 b1 a0 Hab.
  pose proof (Rabs_pos a1). pose proof (Rabs_sqr a1) as Ha. pose proof (Rabs_sqr b1) as Hb.
  assert (Hsq : a1 * a1 <= b1 * b1) by nra.
  unfold rho2, disc.
  destruct (Rlt_dec (a1 * a1 - 4 * a0) 0) as [Hla | Hga];
  destruct (Rlt_dec (b1 * b1 - 4 * a0) 0) as [Hlb | Hgb].
  - lra.
  - (* sqrt a0 <= |b1|/2 <= (|b1| + sqrt D)/2 *)
    assert (Ha0 : 0 < a0) by nra.
    pose proof (sqrt_pos a0). pose proof (sqr_sqrt' a0 ltac:(lra)).
    pose proof (sqrt_pos (b1 * b1 - 4 * a0)).
    assert (sqrt a0 <= Rabs b1 / 2) by nra.
    lra.
  - lra.
  - pose proof (sqrt_le_1_alt (a1 * a1 - 4 * a0) (b1 * b1 - 4 * a0) ltac:(lra)).
    lra.
Qed.
