(** * Quasi-convexity: for fixed parameters the spectral radius of gradient
      descent, heavy ball, velocity form and Nesterov, as a function of the
      eigenvalue lambda, attains its maximum over [mu, L] at an end point
      (theorem 5 of proofs/README.md, SPEC section 5). *)
Require Import Reals Lra Psatz.
Require Import Momentum.Matrices Momentum.Quadratic Momentum.Regions.
Open Scope R_scope.

(** An affine function that is nonnegative at both ends of an interval is
    nonnegative on it. *)
Lemma affine_nonneg : forall c d mu L lambda,
  mu <= lambda <= L -> 0 <= c + d * mu -> 0 <= c + d * L -> 0 <= c + d * lambda.
Proof.
  intros c d mu L lambda [H1 H2] Hm HL.
  destruct (Rle_dec 0 d) as [Hd | Hd].
  - assert (d * mu <= d * lambda) by (apply Rmult_le_compat_l; lra). lra.
  - assert (d * L <= d * lambda) by (apply Rmult_le_compat_neg_l; lra). lra.
Qed.

(** The scaled Jury test as four linear inequalities in (a1, a0). *)
Lemma jury_linear : forall r a1 a0, 0 < r ->
  (rho2 a1 a0 <= r <->
   0 <= r * r - a0 /\ 0 <= r * r + a0 /\ 0 <= r * r + a0 - r * a1 /\ 0 <= r * r + a0 + r * a1).
Proof.
  intros r a1 a0 Hr. rewrite schur_jury_scaled_rho by exact Hr.
  pose proof (Rabs_bounds a0). pose proof (Rabs_bounds a1).
  split.
  - intros [H1 H2]. nra.
  - intros [H1 [H2 [H3 H4]]]. split.
    + unfold Rabs; destruct (Rcase_abs a0); lra.
    + unfold Rabs; destruct (Rcase_abs a1); nra.
Qed.

(** Sublevel sets {lambda : rho <= r} are intervals when both coefficients
    are affine in lambda. *)
Lemma sublevel_convex : forall p1 k1 p0 k0 mu L lambda r,
  0 < r -> mu <= lambda <= L ->
  rho2 (p1 + k1 * mu) (p0 + k0 * mu) <= r ->
  rho2 (p1 + k1 * L) (p0 + k0 * L) <= r ->
  rho2 (p1 + k1 * lambda) (p0 + k0 * lambda) <= r.
Proof.
  intros p1 k1 p0 k0 mu L lambda r Hr Hl Hm HL.
  rewrite jury_linear in Hm, HL |- * by exact Hr.
  destruct Hm as [M1 [M2 [M3 M4]]]; destruct HL as [L1 [L2 [L3 L4]]].
  split; [| split; [| split]].
  - replace (r * r - (p0 + k0 * lambda)) with ((r * r - p0) + (- k0) * lambda) by ring.
    apply (affine_nonneg _ _ mu L); [exact Hl | lra | lra].
  - replace (r * r + (p0 + k0 * lambda)) with ((r * r + p0) + k0 * lambda) by ring.
    apply (affine_nonneg _ _ mu L); [exact Hl | lra | lra].
  - replace (r * r + (p0 + k0 * lambda) - r * (p1 + k1 * lambda))
      with ((r * r + p0 - r * p1) + (k0 - r * k1) * lambda) by ring.
    apply (affine_nonneg _ _ mu L); [exact Hl | nra | nra].
  - replace (r * r + (p0 + k0 * lambda) + r * (p1 + k1 * lambda))
      with ((r * r + p0 + r * p1) + (k0 + r * k1) * lambda) by ring.
    apply (affine_nonneg _ _ mu L); [exact Hl | nra | nra].
Qed.

Lemma le_all_pos_le_0 : forall x m, 0 <= m -> (forall r, 0 < r -> m <= r -> x <= r) -> x <= m.
Proof.
  intros x m Hm H.
  destruct (Rlt_dec 0 m) as [Hpos | Hz].
  - apply H; lra.
  - assert (m = 0) by lra. subst m.
    destruct (Rle_dec x 0) as [Hx | Hx]; [exact Hx |].
    exfalso. assert (x <= x / 2) by (apply H; lra). lra.
Qed.

(** ** General theorem: a monic quadratic whose coefficients are affine in
    lambda has a quasi-convex spectral radius: on [mu, L] it is at most the
    larger of its values at mu and at L. *)
Theorem rho2_affine_endpoint_max : forall p1 k1 p0 k0 mu L lambda,
  mu <= lambda <= L ->
  rho2 (p1 + k1 * lambda) (p0 + k0 * lambda) <=
  Rmax (rho2 (p1 + k1 * mu) (p0 + k0 * mu)) (rho2 (p1 + k1 * L) (p0 + k0 * L)).
Proof.
  intros p1 k1 p0 k0 mu L lambda Hl.
  apply le_all_pos_le_0.
  - pose proof (rho2_nonneg (p1 + k1 * mu) (p0 + k0 * mu)).
    eapply Rle_trans; [exact H | apply Rmax_l].
  - intros r Hr Hm. apply (sublevel_convex p1 k1 p0 k0 mu L lambda r Hr Hl).
    + eapply Rle_trans; [apply Rmax_l | exact Hm].
    + eapply Rle_trans; [apply Rmax_r | exact Hm].
Qed.

(** ** Gradient descent *)
Theorem gd_endpoint_max : forall eta mu L lambda,
  mu <= lambda <= L ->
  rho_gd eta lambda <= Rmax (rho_gd eta mu) (rho_gd eta L).
Proof.
  intros eta mu L lambda Hl; unfold rho_gd.
  set (m := Rmax (Rabs (1 - eta * mu)) (Rabs (1 - eta * L))).
  pose proof (Rabs_bounds (1 - eta * mu)); pose proof (Rabs_bounds (1 - eta * L)).
  assert (Hm : Rabs (1 - eta * mu) <= m) by apply Rmax_l.
  assert (HL : Rabs (1 - eta * L) <= m) by apply Rmax_r.
  apply Rabs_le; split.
  - assert (0 <= (m + 1) + (- eta) * lambda).
    { apply (affine_nonneg _ _ mu L); [exact Hl | lra | lra]. }
    lra.
  - assert (0 <= (m - 1) + eta * lambda).
    { apply (affine_nonneg _ _ mu L); [exact Hl | lra | lra]. }
    lra.
Qed.

(** ** Heavy ball (and therefore the velocity form) *)
Theorem hb_endpoint_max : forall alpha beta mu L lambda,
  mu <= lambda <= L ->
  rho_hb alpha beta lambda <= Rmax (rho_hb alpha beta mu) (rho_hb alpha beta L).
Proof.
  intros alpha beta mu L lambda Hl. rewrite !rho_hb_eq.
  pose proof (rho2_affine_endpoint_max (- (1 + beta)) alpha beta 0 mu L lambda Hl) as H.
  assert (E : forall l, - (1 + beta - alpha * l) = - (1 + beta) + alpha * l) by (intros; ring).
  assert (F : forall l, beta + 0 * l = beta) by (intros; ring).
  rewrite !F in H. rewrite !E.
  exact H.
Qed.

Theorem vel_endpoint_max : forall beta eta mu L lambda,
  mu <= lambda <= L ->
  rho_vel beta eta lambda <= Rmax (rho_vel beta eta mu) (rho_vel beta eta L).
Proof. intros; rewrite !rho_vel_eq_hb; apply hb_endpoint_max; assumption. Qed.

(** ** Nesterov *)
Theorem nes_endpoint_max : forall alpha beta mu L lambda,
  mu <= lambda <= L ->
  rho_nes alpha beta lambda <= Rmax (rho_nes alpha beta mu) (rho_nes alpha beta L).
Proof.
  intros alpha beta mu L lambda Hl. rewrite !rho_nes_eq.
  pose proof (rho2_affine_endpoint_max (- (1 + beta)) ((1 + beta) * alpha)
                beta (- beta * alpha) mu L lambda Hl) as H.
  assert (E : forall l, - ((1 + beta) * (1 - alpha * l)) = - (1 + beta) + (1 + beta) * alpha * l)
    by (intros; ring).
  assert (F : forall l, beta * (1 - alpha * l) = beta + - beta * alpha * l) by (intros; ring).
  rewrite !E, !F. exact H.
Qed.
