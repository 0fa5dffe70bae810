(** * Triple momentum (Van Scoy, Freeman, Lynch 2018) and robust momentum
      (Cyrus, Hu, Van Scoy, Lessard 2018) on quadratics: their worst-case
      spectral radius over [mu, L] is exactly their rate rho (theorem TR of
      proofs/README.md, written proof proofs/triple_robust.md). *)
Require Import Reals Lra Psatz.
Require Import Momentum.Matrices Momentum.Quadratic Momentum.Regions Momentum.QuasiConvex
  Momentum.Tunings Momentum.TwoState.
Open Scope R_scope.

(** ** Two evaluations of rho2 *)
(** z^2 - (r + r^2) z + r^3 = (z - r)(z - r^2): rho = r for 0 <= r <= 1. *)
Lemma rho2_r_r2 : forall r, 0 <= r <= 1 -> rho2 (- (r + r * r)) (r * r * r) = r.
Proof.
  intros r Hr. rewrite (rho2_real_closed _ _ (r * (1 - r))); [| nra | ring].
  rewrite Rabs_Ropp, Rabs_right by nra. field.
Qed.

(** z^2 + c z = z (z + c): rho = |c|. *)
Lemma rho2_zero_root : forall c, rho2 c 0 = Rabs c.
Proof.
  intros c. rewrite (rho2_real_closed _ _ (Rabs c)); [field | apply Rabs_pos |].
  rewrite Rabs_sqr. ring.
Qed.

Lemma rho_pos_facts : forall mu L, 0 < mu <= L ->
  let q := sqrt (L / mu) in 1 <= q /\ q * q = L / mu /\ L = mu * (q * q).
Proof.
  intros mu L Hml q.
  assert (Hk : 1 <= L / mu).
  { apply (Rmult_le_reg_r mu); [lra |]. unfold Rdiv; rewrite Rmult_assoc, Rinv_l by lra; lra. }
  assert (Hqq : q * q = L / mu) by (apply sqrt_sqrt; lra).
  split; [apply sqrt_ge_1; exact Hk | split; [exact Hqq |]].
  rewrite Hqq. field. lra.
Qed.

(** ** Triple momentum: rho = 1 - 1/sqrt kappa, alpha = (1 + rho)/L,
    beta = rho^2/(2 - rho), gamma = rho^2/((1 + rho)(2 - rho)). *)
Definition tm_rho (mu L : R) : R := 1 - 1 / sqrt (L / mu).
Definition tm_alpha (mu L : R) : R := (1 + tm_rho mu L) / L.
Definition tm_beta (mu L : R) : R := tm_rho mu L * tm_rho mu L / (2 - tm_rho mu L).
Definition tm_gamma (mu L : R) : R :=
  tm_rho mu L * tm_rho mu L / ((1 + tm_rho mu L) * (2 - tm_rho mu L)).

(** At mu the polynomial is (z - rho)(z - rho^2), at L it is z (z + rho). *)
Theorem triple_momentum_ends : forall mu L, 0 < mu <= L ->
  let r := tm_rho mu L in
  let a := tm_alpha mu L in let b := tm_beta mu L in let g := tm_gamma mu L in
  ts_a1 a b g mu = - (r + r * r) /\ ts_a0 a b g mu = r * r * r /\
  ts_a1 a b g L = r /\ ts_a0 a b g L = 0.
Proof.
  intros mu L Hml r a b g.
  destruct (rho_pos_facts mu L Hml) as [Hq1 [Hqq HL]].
  set (q := sqrt (L / mu)) in *.
  assert (Hr : r = 1 - 1 / q) by reflexivity.
  assert (Hr0 : 0 <= r < 1).
  { rewrite Hr. assert (0 < 1 / q <= 1).
    { split; [apply Rdiv_lt_0_compat; lra |].
      apply (Rmult_le_reg_r q); [lra |]. unfold Rdiv; rewrite Rmult_assoc, Rinv_l by lra; lra. }
    lra. }
  assert (Ham : a * mu = (1 + r) * ((1 - r) * (1 - r))).
  { unfold a, tm_alpha; fold r. rewrite HL, Hr. field. lra. }
  assert (HaL : a * L = 1 + r) by (unfold a, tm_alpha; fold r; field; lra).
  assert (Hb : b = r * r / (2 - r)) by reflexivity.
  assert (Hg : g = r * r / ((1 + r) * (2 - r))) by reflexivity.
  unfold ts_a1, ts_a0. rewrite Ham, HaL, Hb, Hg.
  repeat split; field; lra.
Qed.

Theorem triple_momentum_rate : forall mu L, 0 < mu <= L ->
  let r := tm_rho mu L in
  let a := tm_alpha mu L in let b := tm_beta mu L in let g := tm_gamma mu L in
  rho_ts a b g mu = r /\ rho_ts a b g L = r /\
  (forall lambda, mu <= lambda <= L -> rho_ts a b g lambda <= r).
Proof.
  intros mu L Hml r a b g.
  destruct (triple_momentum_ends mu L Hml) as [E1 [E2 [E3 E4]]]. fold r a b g in E1, E2, E3, E4.
  destruct (rho_pos_facts mu L Hml) as [Hq1 _].
  assert (Hr0 : 0 <= r <= 1).
  { unfold r, tm_rho. assert (0 < 1 / sqrt (L / mu) <= 1).
    { split; [apply Rdiv_lt_0_compat; lra |].
      apply (Rmult_le_reg_r (sqrt (L / mu))); [lra |].
      unfold Rdiv; rewrite Rmult_assoc, Rinv_l by lra; lra. }
    lra. }
  assert (Hm : rho_ts a b g mu = r) by (unfold rho_ts; rewrite E1, E2; apply rho2_r_r2; exact Hr0).
  assert (HL : rho_ts a b g L = r) by (unfold rho_ts; rewrite E3, E4, rho2_zero_root; apply Rabs_right; lra).
  split; [exact Hm | split; [exact HL |]].
  intros lambda Hl. eapply Rle_trans; [apply ts_endpoint_max; exact Hl |].
  rewrite Hm, HL. apply Rmax_lub; lra.
Qed.

(** Root-pair version: every root at every lambda in [mu, L] has modulus <= rho. *)
Corollary triple_momentum_roots : forall mu L lambda, 0 < mu <= L -> mu <= lambda <= L ->
  roots_within (tm_rho mu L)
    (ts_a1 (tm_alpha mu L) (tm_beta mu L) (tm_gamma mu L) lambda)
    (ts_a0 (tm_alpha mu L) (tm_beta mu L) (tm_gamma mu L) lambda).
Proof.
  intros mu L lambda Hml Hl.
  destruct (triple_momentum_rate mu L Hml) as [Hm [_ H]].
  apply roots_within_iff_rho2; [rewrite <- Hm; apply rho2_nonneg | apply H; exact Hl].
Qed.

(** ** Robust momentum: kappa = L/mu > 1, rho in [1 - 1/sqrt kappa, 1 - 1/kappa],
    alpha = kappa (1 - rho)^2 (1 + rho)/L, beta = kappa rho^3/(kappa - 1),
    gamma = rho^3/((kappa - 1)(1 - rho)^2 (1 + rho)). *)
Definition rm_alpha (mu L r : R) : R := L / mu * ((1 - r) * (1 - r)) * (1 + r) / L.
Definition rm_beta (mu L r : R) : R := L / mu * (r * r * r) / (L / mu - 1).
Definition rm_gamma (mu L r : R) : R := r * r * r / ((L / mu - 1) * ((1 - r) * (1 - r)) * (1 + r)).

(** At mu the polynomial is (z - rho)(z - rho^2), at L it is z (z - c) with
    c = 1 - kappa (1 - rho)^2 (1 + rho). *)
Theorem robust_momentum_ends : forall mu L r, 0 < mu < L -> 0 <= r < 1 ->
  let a := rm_alpha mu L r in let b := rm_beta mu L r in let g := rm_gamma mu L r in
  ts_a1 a b g mu = - (r + r * r) /\ ts_a0 a b g mu = r * r * r /\
  ts_a1 a b g L = - (1 - L / mu * ((1 - r) * (1 - r)) * (1 + r)) /\ ts_a0 a b g L = 0.
Proof.
  intros mu L r Hml Hr a b g.
  set (k := L / mu).
  assert (Hk : 1 < k).
  { unfold k. apply (Rmult_lt_reg_r mu); [lra |]. unfold Rdiv; rewrite Rmult_assoc, Rinv_l by lra; lra. }
  assert (HL : L = mu * k) by (unfold k; field; lra).
  assert (Ham : a * mu = (1 - r) * (1 - r) * (1 + r)).
  { unfold a, rm_alpha; fold k. rewrite HL. field. lra. }
  assert (HaL : a * L = k * ((1 - r) * (1 - r)) * (1 + r)) by (unfold a, rm_alpha; fold k; field; lra).
  assert (Hb : b = k * (r * r * r) / (k - 1)) by reflexivity.
  assert (Hg : g = r * r * r / ((k - 1) * ((1 - r) * (1 - r)) * (1 + r))) by reflexivity.
  unfold ts_a1, ts_a0. rewrite Ham, HaL, Hb, Hg.
  assert (1 - r <> 0) by lra. assert (1 + r <> 0) by lra. assert (k - 1 <> 0) by lra.
  repeat split; field; auto.
Qed.

Theorem robust_momentum_rate : forall mu L r, 0 < mu < L ->
  1 - 1 / sqrt (L / mu) <= r <= 1 - 1 / (L / mu) ->
  let a := rm_alpha mu L r in let b := rm_beta mu L r in let g := rm_gamma mu L r in
  rho_ts a b g mu = r /\
  rho_ts a b g L = Rabs (1 - L / mu * ((1 - r) * (1 - r)) * (1 + r)) /\ rho_ts a b g L <= r /\
  (rho_ts a b g L = r <-> r = 1 - 1 / sqrt (L / mu)) /\
  (forall lambda, mu <= lambda <= L -> rho_ts a b g lambda <= r).
Proof.
  intros mu L r Hml [Hlo Hhi] a b g.
  destruct (rho_pos_facts mu L (conj (proj1 Hml) (Rlt_le _ _ (proj2 Hml)))) as [_ [Hqq _]].
  set (k := L / mu) in *. set (q := sqrt k) in *.
  assert (Hk : 1 < k).
  { unfold k. apply (Rmult_lt_reg_r mu); [lra |]. unfold Rdiv; rewrite Rmult_assoc, Rinv_l by lra; lra. }
  assert (Hq : 1 < q).
  { unfold q. rewrite <- sqrt_1. apply sqrt_lt_1_alt; lra. }
  assert (Eq : 1 / q * q = 1) by (field; lra).
  assert (Ek : 1 / k * k = 1) by (field; lra).
  assert (Hiq : 0 < 1 / q < 1).
  { split; [apply Rdiv_lt_0_compat; lra |]. apply (Rmult_lt_reg_r q); lra. }
  assert (Hik : 0 < 1 / k < 1).
  { split; [apply Rdiv_lt_0_compat; lra |]. apply (Rmult_lt_reg_r k); lra. }
  assert (Hr : 0 < r < 1) by lra.
  destruct (robust_momentum_ends mu L r Hml (conj (Rlt_le _ _ (proj1 Hr)) (proj2 Hr)))
    as [E1 [E2 [E3 E4]]].
  fold a b g k in E1, E2, E3, E4.
  set (c := 1 - k * ((1 - r) * (1 - r)) * (1 + r)) in *.
  (* q (1 - r) <= 1, so kappa (1 - r)^2 <= 1 *)
  assert (Hq1 : q * (1 - r) <= 1) by nra.
  assert (Hk1 : k * ((1 - r) * (1 - r)) <= 1).
  { rewrite <- Hqq. replace (q * q * ((1 - r) * (1 - r))) with ((q * (1 - r)) * (q * (1 - r))) by ring.
    assert (0 < q * (1 - r)) by nra. nra. }
  (* kappa (1 - r) >= 1 *)
  assert (Hk2 : 1 <= k * (1 - r)) by nra.
  assert (Hc1 : - r <= c) by (unfold c; nra).
  assert (Hc2 : c < r).
  { unfold c. assert (k * ((1 - r) * (1 - r)) * (1 + r) = (k * (1 - r)) * ((1 - r) * (1 + r))) by ring.
    assert ((1 - r) * (1 + r) <= (k * (1 - r)) * ((1 - r) * (1 + r))) by nra. nra. }
  assert (Hm : rho_ts a b g mu = r) by (unfold rho_ts; rewrite E1, E2; apply rho2_r_r2; lra).
  assert (HLe : rho_ts a b g L = Rabs c) by (unfold rho_ts; rewrite E3, E4, rho2_zero_root, Rabs_Ropp; reflexivity).
  assert (HLr : rho_ts a b g L <= r) by (rewrite HLe; apply Rabs_le; lra).
  split; [exact Hm | split; [exact HLe | split; [exact HLr | split]]].
  - rewrite HLe. split.
    + intros Hc. assert (Hcr : c = - r).
      { unfold Rabs in Hc; destruct (Rcase_abs c); lra. }
      (* kappa (1 - r)^2 = 1, i.e. (q (1 - r))^2 = 1 *)
      assert (Hs : (q * (1 - r)) * (q * (1 - r)) = 1).
      { replace ((q * (1 - r)) * (q * (1 - r))) with (k * ((1 - r) * (1 - r))) by (rewrite <- Hqq; ring).
        unfold c in Hcr. apply (Rmult_eq_reg_r (1 + r)); [| lra]. lra. }
      assert (Hp : 0 < q * (1 - r)) by nra.
      assert (Hs1 : q * (1 - r) = 1).
      { assert (Z : (q * (1 - r) - 1) * (q * (1 - r) + 1) = 0) by lra.
        destruct (Rmult_integral _ _ Z); lra. }
      apply (Rmult_eq_reg_l q); [| lra]. unfold Rdiv. field_simplify; lra.
    + intros Hr'. assert (Hs1 : q * (1 - r) = 1).
      { rewrite Hr'. field. lra. }
      assert (Hcr : c = - r).
      { unfold c. replace (k * ((1 - r) * (1 - r))) with ((q * (1 - r)) * (q * (1 - r))) by (rewrite <- Hqq; ring).
        rewrite Hs1. ring. }
      rewrite Hcr, Rabs_Ropp. apply Rabs_right; lra.
  - intros lambda Hl. eapply Rle_trans; [apply ts_endpoint_max; exact Hl |].
    rewrite Hm. apply Rmax_lub; lra.
Qed.

(** At rho = 1 - 1/sqrt kappa robust momentum is triple momentum. *)
Theorem robust_momentum_at_lower_end : forall mu L, 0 < mu < L ->
  let r := tm_rho mu L in
  rm_alpha mu L r = tm_alpha mu L /\ rm_beta mu L r = tm_beta mu L /\ rm_gamma mu L r = tm_gamma mu L.
Proof.
  intros mu L Hml r.
  destruct (rho_pos_facts mu L (conj (proj1 Hml) (Rlt_le _ _ (proj2 Hml)))) as [Hq1 [Hqq _]].
  set (q := sqrt (L / mu)) in *.
  assert (Hk : 1 < L / mu).
  { apply (Rmult_lt_reg_r mu); [lra |]. unfold Rdiv; rewrite Rmult_assoc, Rinv_l by lra; lra. }
  assert (Hq : 1 < q) by nra.
  assert (Hr : r = 1 - 1 / q) by reflexivity.
  unfold rm_alpha, rm_beta, rm_gamma, tm_alpha, tm_beta, tm_gamma. fold r. rewrite <- Hqq, Hr.
  repeat split; field; repeat split; try lra; nra.
Qed.
