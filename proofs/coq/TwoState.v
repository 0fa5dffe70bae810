(** * The two-state family (SPEC section 11, theorem 4f of proofs/README.md):
      x+ = x + beta (x - x-) - alpha grad f(x + gamma (x - x-)), per eigenvalue
      z^2 - (1 + beta - alpha lambda (1 + gamma)) z + (beta - alpha lambda gamma).
      No (alpha, beta, gamma) has max(rho(mu), rho(L)) below the tuned heavy
      ball's (sqrt kappa - 1)/(sqrt kappa + 1), and for mu < L only the tuned
      heavy ball (gamma = 0) reaches it.  Written proof:
      proofs/two_state_lower_bound.md.  At the end (theorem 3f, written proof
      proofs/two_state_region.md): the iteration matrix in state [x_t; x_{t-1}],
      the Schur-Jury region as three conditions affine in s = alpha lambda, and
      the discriminant factored as a quadratic in s. *)
Require Import Reals Lra Psatz.
Require Import Momentum.Matrices Momentum.Quadratic Momentum.Regions Momentum.QuasiConvex
  Momentum.TunedHeavyBall.
Open Scope R_scope.

(** Coefficients of z^2 + a1 z + a0 for the family, and its spectral radius. *)
Definition ts_a1 (alpha beta gamma lambda : R) : R := - (1 + beta - alpha * lambda * (1 + gamma)).
Definition ts_a0 (alpha beta gamma lambda : R) : R := beta - alpha * lambda * gamma.
Definition rho_ts (alpha beta gamma lambda : R) : R :=
  rho2 (ts_a1 alpha beta gamma lambda) (ts_a0 alpha beta gamma lambda).

(** p(1) = alpha lambda for every member. *)
Lemma ts_p1 : forall alpha beta gamma lambda,
  1 + ts_a1 alpha beta gamma lambda + ts_a0 alpha beta gamma lambda = alpha * lambda.
Proof. intros; unfold ts_a1, ts_a0; ring. Qed.

(** Heavy ball is gamma = 0, Nesterov is gamma = beta. *)
Theorem rho_ts_hb : forall alpha beta lambda, rho_ts alpha beta 0 lambda = rho_hb alpha beta lambda.
Proof. intros; rewrite rho_hb_eq; unfold rho_ts, ts_a1, ts_a0; f_equal; ring. Qed.

Theorem rho_ts_nes : forall alpha beta lambda, rho_ts alpha beta beta lambda = rho_nes alpha beta lambda.
Proof. intros; rewrite rho_nes_eq; unfold rho_ts, ts_a1, ts_a0; f_equal; ring. Qed.

(** The worst case over [mu, L] is at an end (coefficients affine in lambda). *)
Theorem ts_endpoint_max : forall alpha beta gamma mu L lambda,
  mu <= lambda <= L ->
  rho_ts alpha beta gamma lambda <= Rmax (rho_ts alpha beta gamma mu) (rho_ts alpha beta gamma L).
Proof.
  intros alpha beta gamma mu L lambda Hl. unfold rho_ts, ts_a1, ts_a0.
  pose proof (rho2_affine_endpoint_max (- (1 + beta)) (alpha * (1 + gamma))
                beta (- (alpha * gamma)) mu L lambda Hl) as H.
  assert (E : forall l, - (1 + beta - alpha * l * (1 + gamma)) = - (1 + beta) + alpha * (1 + gamma) * l)
    by (intros; ring).
  assert (F : forall l, beta - alpha * l * gamma = beta + - (alpha * gamma) * l) by (intros; ring).
  rewrite !E, !F. exact H.
Qed.

(** ** p(1) of a monic quadratic with both roots in the disk of radius r *)
Lemma p1_lower : forall r a1 a0, 0 < r <= 1 -> rho2 a1 a0 <= r ->
  (1 - r) * (1 - r) <= 1 + a1 + a0.
Proof.
  intros r a1 a0 Hr H. rewrite jury_linear in H by lra.
  destruct H as [H1 [H2 [H3 H4]]].
  (* r (1 + a1 + a0) >= (1 - r)(r - a0) >= (1 - r) r (1 - r) *)
  assert (A : (1 - r) * (r - a0) <= r * (1 + a1 + a0)) by nra.
  assert (B : (1 - r) * (r * (1 - r)) <= (1 - r) * (r - a0)) by (apply Rmult_le_compat_l; nra).
  apply (Rmult_le_reg_l r); [lra | nra].
Qed.

Lemma p1_upper : forall r a1 a0, 0 < r -> rho2 a1 a0 <= r ->
  1 + a1 + a0 <= (1 + r) * (1 + r).
Proof.
  intros r a1 a0 Hr H. rewrite jury_linear in H by lra.
  destruct H as [H1 [H2 [H3 H4]]].
  apply (Rmult_le_reg_l r); [lra | nra].
Qed.

(** Equality cases: p(1) = (1 - r)^2 forces (z - r)^2, p(1) = (1 + r)^2 forces (z + r)^2. *)
Lemma p1_lower_eq : forall r a1 a0, 0 < r < 1 -> rho2 a1 a0 <= r ->
  1 + a1 + a0 = (1 - r) * (1 - r) -> a1 = - (2 * r) /\ a0 = r * r.
Proof.
  intros r a1 a0 Hr H E. rewrite jury_linear in H by lra.
  destruct H as [H1 [H2 [H3 H4]]].
  assert (A : r * (1 + a1 + a0) - (1 - r) * (r - a0) = r * r + a0 + r * a1) by ring.
  assert (B : (1 - r) * (r - a0) - (1 - r) * (r * (1 - r)) = (1 - r) * (r * r - a0)) by ring.
  assert (C : 0 <= (1 - r) * (r * r - a0)) by (apply Rmult_le_pos; lra).
  assert (D : r * (1 + a1 + a0) = (1 - r) * (r * (1 - r))) by (rewrite E; ring).
  assert (Z1 : r * r + a0 + r * a1 = 0) by lra.
  assert (Z2 : (1 - r) * (r * r - a0) = 0) by lra.
  assert (Ha0 : a0 = r * r).
  { destruct (Rmult_integral _ _ Z2) as [Z | Z]; lra. }
  split; [| exact Ha0].
  subst a0. apply (Rmult_eq_reg_l r); [lra | lra].
Qed.

Lemma p1_upper_eq : forall r a1 a0, 0 < r -> rho2 a1 a0 <= r ->
  1 + a1 + a0 = (1 + r) * (1 + r) -> a1 = 2 * r /\ a0 = r * r.
Proof.
  intros r a1 a0 Hr H E. rewrite jury_linear in H by lra.
  destruct H as [H1 [H2 [H3 H4]]].
  assert (A : (1 + r) * (r + a0) - r * (1 + a1 + a0) = r * r + a0 - r * a1) by ring.
  assert (B : (1 + r) * (r * (1 + r)) - (1 + r) * (r + a0) = (1 + r) * (r * r - a0)) by ring.
  assert (C : 0 <= (1 + r) * (r * r - a0)) by (apply Rmult_le_pos; lra).
  assert (D : r * (1 + a1 + a0) = (1 + r) * (r * (1 + r))) by (rewrite E; ring).
  assert (Z1 : r * r + a0 - r * a1 = 0) by lra.
  assert (Z2 : (1 + r) * (r * r - a0) = 0) by lra.
  assert (Ha0 : a0 = r * r).
  { destruct (Rmult_integral _ _ Z2) as [Z | Z]; lra. }
  split; [| exact Ha0].
  subst a0. apply (Rmult_eq_reg_l r); [lra | lra].
Qed.

(** ** Lower bound, in terms of a = sqrt mu, b = sqrt L *)
Lemma ts_core : forall a b alpha beta gamma r, 0 < a <= b -> 0 < r < 1 ->
  rho_ts alpha beta gamma (a * a) <= r -> rho_ts alpha beta gamma (b * b) <= r ->
  (1 - r) * (1 - r) <= alpha * (a * a) /\ alpha * (b * b) <= (1 + r) * (1 + r) /\
  b * (1 - r) <= a * (1 + r).
Proof.
  intros a b alpha beta gamma r Hab Hr Hm HL. unfold rho_ts in Hm, HL.
  pose proof (p1_lower r _ _ ltac:(lra) Hm) as Lm. rewrite ts_p1 in Lm.
  pose proof (p1_upper r _ _ ltac:(lra) HL) as UL. rewrite ts_p1 in UL.
  split; [exact Lm | split; [exact UL |]].
  (* b^2 (1 - r)^2 <= alpha a^2 b^2 <= a^2 (1 + r)^2 *)
  assert (Hal : 0 < alpha) by nra.
  assert (S1 : (b * b) * ((1 - r) * (1 - r)) <= (b * b) * (alpha * (a * a)))
    by (apply Rmult_le_compat_l; nra).
  assert (S2 : (a * a) * (alpha * (b * b)) <= (a * a) * ((1 + r) * (1 + r)))
    by (apply Rmult_le_compat_l; nra).
  apply sq_le; [nra | nra].
Qed.

(** ** Theorem 4f: no two-state method beats the tuned heavy ball at both ends. *)
Theorem two_state_lower_bound : forall mu L alpha beta gamma, 0 < mu <= L ->
  hb_rate mu L <= Rmax (rho_ts alpha beta gamma mu) (rho_ts alpha beta gamma L).
Proof.
  intros mu L alpha beta gamma Hml.
  set (a := sqrt mu); set (b := sqrt L).
  assert (Ha : 0 < a) by (apply sqrt_lt_R0; lra).
  assert (Hab : a <= b) by (apply sqrt_le_1_alt; lra).
  assert (Ea : a * a = mu) by (apply sqrt_sqrt; lra).
  assert (Eb : b * b = L) by (apply sqrt_sqrt; lra).
  assert (Er : hb_rate mu L = (b - a) / (b + a)) by (apply rate_ab; lra).
  rewrite Er.
  apply (le_all_pos_le_0 ((b - a) / (b + a))).
  - pose proof (rho2_nonneg (ts_a1 alpha beta gamma mu) (ts_a0 alpha beta gamma mu)) as H.
    eapply Rle_trans; [exact H | apply Rmax_l].
  - intros r Hr Hm.
    assert (Hq : (b - a) / (b + a) < 1).
    { apply (Rmult_lt_reg_r (b + a)); [lra |].
      unfold Rdiv; rewrite Rmult_assoc, Rinv_l by lra. lra. }
    destruct (Rlt_dec r 1) as [Hr1 | Hr1]; [| lra].
    assert (H1 : rho_ts alpha beta gamma (a * a) <= r)
      by (rewrite Ea; eapply Rle_trans; [apply Rmax_l | exact Hm]).
    assert (H2 : rho_ts alpha beta gamma (b * b) <= r)
      by (rewrite Eb; eapply Rle_trans; [apply Rmax_r | exact Hm]).
    destruct (ts_core a b alpha beta gamma r (conj Ha Hab) (conj Hr Hr1) H1 H2) as [_ [_ Hc]].
    apply (Rmult_le_reg_r (b + a)); [lra |].
    unfold Rdiv; rewrite Rmult_assoc, Rinv_l by lra. lra.
Qed.

(** Over the whole interval: every member's worst case over [mu, L] is at
    least the tuned heavy ball's rate, which the tuned heavy ball attains. *)
Corollary two_state_optimal : forall mu L alpha beta gamma, 0 < mu <= L ->
  (forall lambda, mu <= lambda <= L -> rho_ts (hb_alpha mu L) (hb_beta mu L) 0 lambda <= hb_rate mu L) /\
  exists lambda, mu <= lambda <= L /\ hb_rate mu L <= rho_ts alpha beta gamma lambda.
Proof.
  intros mu L alpha beta gamma Hml. split.
  - intros lambda Hl. rewrite rho_ts_hb. right. apply tuned_hb_rate; assumption.
  - pose proof (two_state_lower_bound mu L alpha beta gamma Hml) as H.
    unfold Rmax in H. destruct (Rle_dec (rho_ts alpha beta gamma mu) (rho_ts alpha beta gamma L)).
    + exists L. split; [lra | exact H].
    + exists mu. split; [lra | exact H].
Qed.

(** ** Uniqueness: for mu < L the only member reaching the bound at both ends
    is the tuned heavy ball: gamma = 0, alpha = 4/(sqrt L + sqrt mu)^2,
    beta = r^2. *)
Theorem two_state_unique : forall mu L alpha beta gamma, 0 < mu < L ->
  rho_ts alpha beta gamma mu <= hb_rate mu L -> rho_ts alpha beta gamma L <= hb_rate mu L ->
  alpha = hb_alpha mu L /\ beta = hb_beta mu L /\ gamma = 0.
Proof.
  intros mu L alpha beta gamma Hml Hm HL.
  set (a := sqrt mu) in *; set (b := sqrt L) in *.
  assert (Ha : 0 < a) by (apply sqrt_lt_R0; lra).
  assert (Hab : a < b) by (apply sqrt_lt_1_alt; lra).
  assert (Ea : a * a = mu) by (apply sqrt_sqrt; lra).
  assert (Eb : b * b = L) by (apply sqrt_sqrt; lra).
  assert (Er : hb_rate mu L = (b - a) / (b + a)) by (apply rate_ab; lra).
  unfold hb_beta, hb_alpha; rewrite Er in *; fold a b.
  replace (sqrt L + sqrt mu) with (b + a) by reflexivity.
  destruct (core_facts a b (conj Ha (Rlt_le _ _ Hab))) as [Hr [E1 [E2 [Eam [Ebm Hal]]]]].
  set (r := (b - a) / (b + a)) in *. set (al := 4 / ((b + a) * (b + a))) in *.
  assert (Hrp : 0 < r).
  { unfold r. apply Rdiv_lt_0_compat; lra. }
  assert (Hba : b * (1 - r) = a * (1 + r)).
  { rewrite E1, E2. field. lra. }
  rewrite <- Ea in Hm. rewrite <- Eb in HL.
  destruct (ts_core a b alpha beta gamma r (conj Ha (Rlt_le _ _ Hab)) (conj Hrp (proj2 Hr)) Hm HL)
    as [Lo [Hi _]].
  (* b^2 (1-r)^2 = a^2 (1+r)^2 squeezes alpha a^2 = (1-r)^2 and alpha b^2 = (1+r)^2 *)
  assert (Hsq : (b * b) * ((1 - r) * (1 - r)) = (a * a) * ((1 + r) * (1 + r))).
  { replace ((b * b) * ((1 - r) * (1 - r))) with ((b * (1 - r)) * (b * (1 - r))) by ring.
    rewrite Hba. ring. }
  assert (Hal0 : 0 < alpha) by nra.
  assert (S1 : (b * b) * ((1 - r) * (1 - r)) <= (b * b) * (alpha * (a * a)))
    by (apply Rmult_le_compat_l; nra).
  assert (S2 : (a * a) * (alpha * (b * b)) <= (a * a) * ((1 + r) * (1 + r)))
    by (apply Rmult_le_compat_l; nra).
  assert (Xm : alpha * (a * a) = (1 - r) * (1 - r)).
  { apply Rle_antisym; [| exact Lo].
    apply (Rmult_le_reg_l (b * b)); [nra |]. nra. }
  assert (XL : alpha * (b * b) = (1 + r) * (1 + r)).
  { apply Rle_antisym; [exact Hi |].
    apply (Rmult_le_reg_l (a * a)); [nra |]. nra. }
  unfold rho_ts in Hm, HL.
  pose proof (ts_p1 alpha beta gamma (a * a)) as Pm. pose proof (ts_p1 alpha beta gamma (b * b)) as PL.
  destruct (p1_lower_eq r _ _ (conj Hrp (proj2 Hr)) Hm ltac:(lra)) as [_ Cm].
  destruct (p1_upper_eq r _ _ Hrp HL ltac:(lra)) as [_ CL].
  unfold ts_a0 in Cm, CL.
  (* beta - alpha a^2 gamma = beta - alpha b^2 gamma, alpha (b^2 - a^2) > 0 *)
  assert (Hg : gamma = 0).
  { assert (Z : (alpha * (b * b - a * a)) * gamma = 0) by lra.
    destruct (Rmult_integral _ _ Z) as [Z1 | Z1]; [| exact Z1].
    exfalso. assert (0 < alpha * (b * b - a * a)) by (apply Rmult_lt_0_compat; nra). lra. }
  subst gamma.
  split; [| split; [nra | reflexivity]].
  rewrite <- Eam in Xm. apply (Rmult_eq_reg_r (a * a)); [exact Xm | nra].
Qed.

(** ** The iteration matrix in state [x_t; x_{t-1}] (gradient lambda x) and
    its characteristic polynomial; written proof proofs/two_state_region.md. *)
Definition ts_mat (alpha beta gamma lambda : R) : M2 :=
  mk (1 + beta - alpha * lambda * (1 + gamma)) (- (beta - alpha * lambda * gamma)) 1 0.

(** One step of the family with gradient lambda x maps [x; x-] to [x+; x]. *)
Theorem ts_mat_step : forall alpha beta gamma lambda x xm,
  m11 (ts_mat alpha beta gamma lambda) * x + m12 (ts_mat alpha beta gamma lambda) * xm =
    x + beta * (x - xm) - alpha * (lambda * (x + gamma * (x - xm))) /\
  m21 (ts_mat alpha beta gamma lambda) * x + m22 (ts_mat alpha beta gamma lambda) * xm = x.
Proof. intros; unfold ts_mat; simpl; split; ring. Qed.

Theorem ts_charpoly : forall alpha beta gamma lambda z,
  charpoly (ts_mat alpha beta gamma lambda) z =
  z * z - (1 + beta - alpha * lambda * (1 + gamma)) * z + (beta - alpha * lambda * gamma).
Proof. intros; unfold charpoly, mtr, mdet, ts_mat; simpl; ring. Qed.

Lemma ts_mat_companion : forall alpha beta gamma lambda,
  ts_mat alpha beta gamma lambda =
  companion (ts_a1 alpha beta gamma lambda) (ts_a0 alpha beta gamma lambda).
Proof. intros; unfold ts_mat, companion, ts_a1, ts_a0; apply mk_eq; ring. Qed.

(** rho_ts is the spectral radius of the iteration matrix. *)
Theorem rho_ts_mat : forall alpha beta gamma lambda,
  rho_mat (ts_mat alpha beta gamma lambda) = rho_ts alpha beta gamma lambda.
Proof.
  intros; unfold rho_mat, rho_ts, mtr, mdet, ts_mat, ts_a1, ts_a0; simpl; f_equal; ring.
Qed.

(** ** Schur-Jury region: with s = alpha lambda, three conditions affine in s. *)
Definition ts_conv (beta gamma s : R) : Prop :=
  0 < s /\ s * (1 + 2 * gamma) < 2 * (1 + beta) /\ Rabs (beta - s * gamma) < 1.

Theorem ts_region : forall alpha beta gamma lambda,
  rho_ts alpha beta gamma lambda < 1 <-> ts_conv beta gamma (alpha * lambda).
Proof.
  intros alpha beta gamma lambda. unfold rho_ts, ts_conv, ts_a1, ts_a0.
  rewrite schur_jury_rho, Rabs_Ropp. set (s := alpha * lambda).
  pose proof (Rabs_bounds (beta - s * gamma)).
  pose proof (Rabs_bounds (1 + beta - s * (1 + gamma))).
  split.
  - intros [H1 H2]. split; [lra | split; [lra | exact H1]].
  - intros [H1 [H2 H3]]. split; [exact H3 |].
    unfold Rabs at 1; destruct (Rcase_abs (1 + beta - s * (1 + gamma))); lra.
Qed.

(** Root-pair version: both roots strictly inside the unit disk. *)
Corollary ts_region_roots : forall alpha beta gamma lambda,
  roots_inside (ts_a1 alpha beta gamma lambda) (ts_a0 alpha beta gamma lambda) <->
  ts_conv beta gamma (alpha * lambda).
Proof. intros; rewrite roots_inside_iff_rho2; apply ts_region. Qed.

(** The set of s is an interval ... *)
Theorem ts_conv_interval : forall beta gamma s1 s2 s, s1 <= s <= s2 ->
  ts_conv beta gamma s1 -> ts_conv beta gamma s2 -> ts_conv beta gamma s.
Proof.
  intros beta gamma s1 s2 s Hs [A1 [B1 C1]] [A2 [B2 C2]].
  pose proof (Rabs_bounds (beta - s1 * gamma)). pose proof (Rabs_bounds (beta - s2 * gamma)).
  assert (Hg : forall k, (s1 * k <= s * k /\ s * k <= s2 * k) \/ (s2 * k <= s * k /\ s * k <= s1 * k)).
  { intros k. destruct (Rle_dec 0 k).
    - left; split; apply Rmult_le_compat_r; lra.
    - right; rewrite !(Rmult_comm _ k); split; apply Rmult_le_compat_neg_l; lra. }
  split; [lra | split].
  - destruct (Hg (1 + 2 * gamma)); lra.
  - apply Rabs_def1; destruct (Hg gamma); lra.
Qed.

(** ... inside (0, U) for some U: bounded on both sides (and possibly empty). *)
Theorem ts_conv_bounded : forall beta gamma, exists U,
  forall s, ts_conv beta gamma s -> 0 < s < U.
Proof.
  intros beta gamma. destruct (Rlt_dec 0 (1 + 2 * gamma)) as [Hg | Hg].
  - exists (2 * (1 + beta) / (1 + 2 * gamma)). intros s [H1 [H2 _]]. split; [exact H1 |].
    apply (Rmult_lt_reg_r (1 + 2 * gamma)); [exact Hg |].
    unfold Rdiv; rewrite Rmult_assoc, Rinv_l by lra. lra.
  - exists ((1 - beta) / (- gamma)). intros s [H1 [_ H3]]. split; [exact H1 |].
    pose proof (Rabs_bounds (beta - s * gamma)).
    apply (Rmult_lt_reg_r (- gamma)); [lra |].
    unfold Rdiv; rewrite Rmult_assoc, Rinv_l by lra. lra.
Qed.

(** ** The discriminant as a quadratic in s = alpha lambda, factored: with
    w^2 = beta (1 + gamma) - gamma,
    (1 + gamma)^2 disc = ((1 + gamma)^2 s - (1 - w)^2) ((1 + gamma)^2 s - (1 + w)^2). *)
Theorem ts_disc_factored : forall alpha beta gamma lambda w,
  w * w = beta * (1 + gamma) - gamma ->
  let s := alpha * lambda in
  (1 + gamma) * (1 + gamma) * disc (ts_a1 alpha beta gamma lambda) (ts_a0 alpha beta gamma lambda) =
  ((1 + gamma) * (1 + gamma) * s - (1 - w) * (1 - w)) *
  ((1 + gamma) * (1 + gamma) * s - (1 + w) * (1 + w)).
Proof.
  intros alpha beta gamma lambda w Hw s. unfold disc, ts_a1, ts_a0. fold s.
  set (W := beta * (1 + gamma) - gamma) in Hw.
  set (g := 1 + gamma).
  transitivity (g * g * g * g * s * s - 2 * g * g * s * (1 + W) + (1 - W) * (1 - W)).
  - unfold W, g; ring.
  - rewrite <- Hw. ring.
Qed.
