(** * Convergence regions of gradient descent, heavy ball, velocity form and
      Nesterov (theorem 3 of proofs/README.md, SPEC section 4). *)
Require Import Reals Lra Psatz.
Require Import Momentum.Matrices Momentum.Quadratic.
Open Scope R_scope.

(** Spectral radius of a 2x2 matrix from its characteristic polynomial
    z^2 - tr z + det (a1 = -tr, a0 = det). *)
Definition rho_mat (X : M2) : R := rho2 (- mtr X) (mdet X).

Definition rho_gd (eta lambda : R) : R := Rabs (1 - eta * lambda).
Definition rho_hb (alpha beta lambda : R) : R := rho_mat (A_hb alpha beta lambda).
Definition rho_vel (beta eta lambda : R) : R := rho_mat (R_vel beta eta lambda).
Definition rho_nes (alpha beta lambda : R) : R := rho_mat (B_nes alpha beta lambda).

Lemma rho_hb_eq : forall alpha beta lambda,
  rho_hb alpha beta lambda = rho2 (- (1 + beta - alpha * lambda)) beta.
Proof.
  intros; unfold rho_hb, rho_mat, mtr, mdet, A_hb; simpl.
  f_equal; ring.
Qed.

Lemma rho_nes_eq : forall alpha beta lambda,
  rho_nes alpha beta lambda =
  rho2 (- ((1 + beta) * (1 - alpha * lambda))) (beta * (1 - alpha * lambda)).
Proof.
  intros; unfold rho_nes, rho_mat, mtr, mdet, B_nes; simpl.
  f_equal; ring.
Qed.

(** The velocity form has the spectrum of heavy ball with alpha = eta. *)
Theorem rho_vel_eq_hb : forall beta eta lambda,
  rho_vel beta eta lambda = rho_hb eta beta lambda.
Proof.
  intros; unfold rho_vel, rho_hb, rho_mat.
  destruct (velocity_heavy_ball_same_trace_det eta beta lambda) as [H1 H2].
  rewrite H1, H2; reflexivity.
Qed.

(** rho_mat X is the largest modulus of an eigenvalue of X: every root of
    the characteristic polynomial has modulus <= rho_mat X, and one attains it. *)
Theorem rho_mat_spectral_radius : forall X,
  (forall x y, is_root (- mtr X) (mdet X) x y -> x * x + y * y <= rho_mat X * rho_mat X) /\
  (exists x y, is_root (- mtr X) (mdet X) x y /\ x * x + y * y = rho_mat X * rho_mat X).
Proof.
  intros X; split.
  - intros x y H; apply rho2_bounds_roots; exact H.
  - apply rho2_attained.
Qed.

(** Real roots of is_root are the real zeros of the characteristic polynomial. *)
Lemma is_root_real_charpoly : forall X x,
  is_root (- mtr X) (mdet X) x 0 <-> charpoly X x = 0.
Proof.
  intros X x; unfold is_root, charpoly; split.
  - intros [H _]; lra.
  - intros H; split; lra.
Qed.

(** ** Gradient descent *)
Theorem gd_region : forall eta lambda,
  rho_gd eta lambda < 1 <-> 0 < eta * lambda < 2.
Proof.
  intros eta lambda; unfold rho_gd, Rabs; destruct (Rcase_abs (1 - eta * lambda)); lra.
Qed.

(** ** Heavy ball *)
Theorem hb_region : forall alpha beta lambda,
  rho_hb alpha beta lambda < 1 <->
  -1 < beta < 1 /\ 0 < alpha * lambda < 2 * (1 + beta).
Proof.
  intros alpha beta lambda. rewrite rho_hb_eq, schur_jury_rho, Rabs_Ropp.
  unfold Rabs; destruct (Rcase_abs beta); destruct (Rcase_abs (1 + beta - alpha * lambda));
  split; intros; lra.
Qed.

(** ** Velocity form (d2l / PyTorch): same region, with eta in place of alpha. *)
Theorem vel_region : forall beta eta lambda,
  rho_vel beta eta lambda < 1 <->
  -1 < beta < 1 /\ 0 < eta * lambda < 2 * (1 + beta).
Proof. intros; rewrite rho_vel_eq_hb; apply hb_region. Qed.

(** ** Nesterov, q = 1 - alpha lambda *)
Theorem nesterov_region : forall alpha beta lambda,
  let q := 1 - alpha * lambda in
  rho_nes alpha beta lambda < 1 <->
  q < 1 /\ Rabs (beta * q) < 1 /\ (1 + 2 * beta) * q > -1.
Proof.
  intros alpha beta lambda q. rewrite rho_nes_eq, schur_jury_rho, Rabs_Ropp. fold q.
  split.
  - intros [H1 H2]. pose proof (Rabs_bounds ((1 + beta) * q)).
    split; [nra | split; [exact H1 | nra]].
  - intros [H1 [H2 H3]]. split; [exact H2 |].
    unfold Rabs at 1; destruct (Rcase_abs ((1 + beta) * q)); nra.
Qed.

(** For 0 <= beta <= 1 the Nesterov region is 0 < alpha lambda < (2 + 2 beta)/(1 + 2 beta). *)
Corollary nesterov_region_pos_beta : forall alpha beta lambda,
  0 <= beta <= 1 ->
  rho_nes alpha beta lambda < 1 <->
  0 < alpha * lambda < (2 + 2 * beta) / (1 + 2 * beta).
Proof.
  intros alpha beta lambda Hb. rewrite nesterov_region.
  set (s := alpha * lambda).
  assert (Hp : 0 < 1 + 2 * beta) by lra.
  assert (E : (2 + 2 * beta) / (1 + 2 * beta) * (1 + 2 * beta) = 2 + 2 * beta) by (field; lra).
  split.
  - intros [H1 [H2 H3]]. split; [lra |].
    apply (Rmult_lt_reg_r (1 + 2 * beta)); [exact Hp |]. rewrite E. nra.
  - intros [H1 H2].
    assert (H2' : s * (1 + 2 * beta) < 2 + 2 * beta).
    { rewrite <- E. apply Rmult_lt_compat_r; assumption. }
    assert (Hq : -1 < 1 - s < 1) by nra.
    split; [lra | split; [| nra]].
    unfold Rabs; destruct (Rcase_abs (beta * (1 - s))); nra.
Qed.
