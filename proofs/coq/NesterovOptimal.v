(** * Nesterov's optimal tuning on quadratics (theorem N of proofs/README.md,
      written proof proofs/nesterov_optimal.md): for every real (alpha, beta),
      max(rho(mu), rho(L)) >= 1 - 2/sqrt(3 kappa + 1) for
      z^2 - (1 + beta) q z + beta q, q = 1 - alpha lambda; alpha = 4/(3L + mu),
      beta = (sqrt(3 kappa + 1) - 2)/(sqrt(3 kappa + 1) + 2) attains it, and for
      mu < L nothing else does. *)
Require Import Reals Lra Psatz.
Require Import Momentum.Matrices Momentum.Quadratic Momentum.Regions Momentum.QuasiConvex
  Momentum.TunedHeavyBall Momentum.Tunings Momentum.TwoState.
Open Scope R_scope.

(** ** The scaled Jury conditions for z^2 - (1 + beta) q z + beta q *)
Lemma nes_jury : forall r beta q, 0 < r ->
  rho2 (- ((1 + beta) * q)) (beta * q) <= r ->
  beta * q <= r * r /\ - (r * r) <= beta * q /\
  q * (r - beta * (1 - r)) <= r * r /\ - q * (r + beta * (1 + r)) <= r * r.
Proof.
  intros r beta q Hr H. rewrite jury_linear in H by exact Hr.
  destruct H as [H1 [H2 [H3 H4]]].
  repeat split; nra.
Qed.

(** Throughout, with q1 = q(mu), q2 = q(L) and 0 < r < 1, the claim is
    X <= Y for X = 3 (1 - r)^2 (1 - q2), Y = (1 + r)(3 - r)(1 - q1), strict
    unless (2 - r) beta = r.  Three cases on beta. *)

(** Case A: (2 - r) beta >= r.  Uses beta q1 <= r^2 and the |a1| condition at q2. *)
Lemma nes_case_a : forall r beta q1 q2, 0 < r < 1 -> r <= (2 - r) * beta ->
  beta * q1 <= r * r -> - q2 * (r + beta * (1 + r)) <= r * r ->
  3 * ((1 - r) * (1 - r)) * (1 - q2) <= (1 + r) * (3 - r) * (1 - q1) /\
  (r < (2 - r) * beta -> 3 * ((1 - r) * (1 - r)) * (1 - q2) < (1 + r) * (3 - r) * (1 - q1)).
Proof.
  intros r beta q1 q2 Hr Hb H1 H2.
  assert (Hbp : 0 < beta) by nra.
  set (c2 := r + beta * (1 + r)).
  assert (Hc2 : 0 < c2) by (unfold c2; nra).
  set (E := r * ((2 - r) * beta - r) * (4 * beta + (3 - r) * r)).
  assert (S1 : 3 * ((1 - r) * (1 - r)) * beta * (c2 * (1 - q2)) <=
               3 * ((1 - r) * (1 - r)) * beta * ((1 + r) * (r + beta))).
  { apply Rmult_le_compat_l; [| unfold c2 in *; nra].
    apply Rmult_le_pos; [nra | lra]. }
  assert (S2 : (1 + r) * (3 - r) * c2 * (beta - r * r) <= (1 + r) * (3 - r) * c2 * (beta * (1 - q1))).
  { apply Rmult_le_compat_l; [apply Rmult_le_pos; [nra | lra] | nra]. }
  assert (I : (1 + r) * (3 - r) * c2 * (beta - r * r)
              - 3 * ((1 - r) * (1 - r)) * beta * ((1 + r) * (r + beta)) = (1 + r) * E)
    by (unfold c2, E; ring).
  assert (K : (beta * c2) * (3 * ((1 - r) * (1 - r)) * (1 - q2)) + (1 + r) * E
              <= (beta * c2) * ((1 + r) * (3 - r) * (1 - q1))) by lra.
  assert (HP : 0 < beta * c2) by (apply Rmult_lt_0_compat; lra).
  assert (HE : 0 <= E).
  { unfold E. apply Rmult_le_pos; [apply Rmult_le_pos |]; nra. }
  split.
  - apply (Rmult_le_reg_l (beta * c2)); [exact HP |]. nra.
  - intros Hs. assert (HE' : 0 < E).
    { unfold E. apply Rmult_lt_0_compat; [apply Rmult_lt_0_compat |]; nra. }
    apply (Rmult_lt_reg_l (beta * c2)); [exact HP |]. nra.
Qed.

(** Case B: -r < 2 beta and (2 - r) beta <= r.  Uses the |a1| conditions at q1 and q2. *)
Lemma nes_case_b : forall r beta q1 q2, 0 < r < 1 -> 0 < 2 * beta + r -> (2 - r) * beta <= r ->
  q1 * (r - beta * (1 - r)) <= r * r -> - q2 * (r + beta * (1 + r)) <= r * r ->
  3 * ((1 - r) * (1 - r)) * (1 - q2) <= (1 + r) * (3 - r) * (1 - q1) /\
  ((2 - r) * beta < r -> 3 * ((1 - r) * (1 - r)) * (1 - q2) < (1 + r) * (3 - r) * (1 - q1)).
Proof.
  intros r beta q1 q2 Hr Hb1 Hb2 H1 H2.
  set (c1 := r - beta * (1 - r)). set (c2 := r + beta * (1 + r)).
  assert (Hc1 : 0 < c1) by (unfold c1; nra).
  assert (Hc2 : 0 < c2) by (unfold c2; nra).
  set (D := (1 - r) * (1 + r) * (2 * r * (2 * beta + r) * (r - (2 - r) * beta))).
  assert (S1 : 3 * ((1 - r) * (1 - r)) * c1 * (c2 * (1 - q2)) <=
               3 * ((1 - r) * (1 - r)) * c1 * ((1 + r) * (r + beta))).
  { apply Rmult_le_compat_l; [| unfold c2 in *; nra].
    apply Rmult_le_pos; [nra | lra]. }
  assert (S2 : (1 + r) * (3 - r) * c2 * ((1 - r) * (r - beta)) <=
               (1 + r) * (3 - r) * c2 * (c1 * (1 - q1))).
  { apply Rmult_le_compat_l; [apply Rmult_le_pos; [nra | lra] | unfold c1 in *; nra]. }
  assert (I : (1 + r) * (3 - r) * c2 * ((1 - r) * (r - beta))
              - 3 * ((1 - r) * (1 - r)) * c1 * ((1 + r) * (r + beta)) = D)
    by (unfold c1, c2, D; ring).
  assert (K : (c1 * c2) * (3 * ((1 - r) * (1 - r)) * (1 - q2)) + D
              <= (c1 * c2) * ((1 + r) * (3 - r) * (1 - q1))) by lra.
  assert (HP : 0 < c1 * c2) by (apply Rmult_lt_0_compat; lra).
  assert (HD : 0 <= D).
  { unfold D. apply Rmult_le_pos; [nra |]. apply Rmult_le_pos; [nra | lra]. }
  split.
  - apply (Rmult_le_reg_l (c1 * c2)); [exact HP |]. nra.
  - intros Hs. assert (HD' : 0 < D).
    { unfold D. apply Rmult_lt_0_compat; [nra |]. apply Rmult_lt_0_compat; [nra | lra]. }
    apply (Rmult_lt_reg_l (c1 * c2)); [exact HP |]. nra.
Qed.

(** Case C: 2 beta <= -r.  Uses the |a1| condition at q1 and beta q2 <= r^2; always strict. *)
Lemma nes_case_c : forall r beta q1 q2, 0 < r < 1 -> 2 * beta + r <= 0 ->
  q1 * (r - beta * (1 - r)) <= r * r -> beta * q2 <= r * r ->
  3 * ((1 - r) * (1 - r)) * (1 - q2) < (1 + r) * (3 - r) * (1 - q1).
Proof.
  intros r beta q1 q2 Hr Hb H1 H2.
  set (b := - beta).
  set (c1 := r + b * (1 - r)).
  assert (Hbp : r / 2 <= b) by (unfold b; lra).
  assert (Hc1 : 0 < c1) by (unfold c1; nra).
  assert (H1' : q1 * c1 <= r * r) by (unfold c1, b; replace (r + - beta * (1 - r)) with (r - beta * (1 - r)) by ring; exact H1).
  set (G := (b - r / 2) * (4 * r * (2 - r) * (b + r / 2) + r * r * (2 - r) * (1 + 3 * r))
            + 3 * (r * r * r * r) * (3 - r) / 2).
  assert (S1 : 3 * ((1 - r) * (1 - r)) * c1 * (b * (1 - q2)) <=
               3 * ((1 - r) * (1 - r)) * c1 * (b + r * r)).
  { apply Rmult_le_compat_l; [apply Rmult_le_pos; [nra | lra] | unfold b; nra]. }
  assert (S2 : (1 + r) * (3 - r) * b * ((1 - r) * (r + b)) <=
               (1 + r) * (3 - r) * b * (c1 * (1 - q1))).
  { apply Rmult_le_compat_l; [apply Rmult_le_pos; [nra | lra] | unfold c1 in *; nra]. }
  assert (I : (1 + r) * (3 - r) * b * ((1 - r) * (r + b))
              - 3 * ((1 - r) * (1 - r)) * c1 * (b + r * r) = (1 - r) * G)
    by (unfold c1, G; field).
  assert (HG : 0 < G).
  { unfold G.
    assert (G1 : 0 <= (b - r / 2) * (4 * r * (2 - r) * (b + r / 2) + r * r * (2 - r) * (1 + 3 * r))).
    { apply Rmult_le_pos; [lra |]. apply Rplus_le_le_0_compat; [| nra].
      apply Rmult_le_pos; [nra | lra]. }
    assert (G2 : 0 < 3 * (r * r * r * r) * (3 - r) / 2).
    { assert (0 < r * r * r * r) by (repeat apply Rmult_lt_0_compat; lra).
      apply Rdiv_lt_0_compat; [nra | lra]. }
    lra. }
  assert (K : (c1 * b) * (3 * ((1 - r) * (1 - r)) * (1 - q2)) + (1 - r) * G
              <= (c1 * b) * ((1 + r) * (3 - r) * (1 - q1))) by lra.
  assert (HP : 0 < c1 * b) by (apply Rmult_lt_0_compat; lra).
  assert (0 < (1 - r) * G) by (apply Rmult_lt_0_compat; lra).
  apply (Rmult_lt_reg_l (c1 * b)); [exact HP |]. nra.
Qed.

(** The core inequality and its equality case. *)
Lemma nes_core : forall r beta q1 q2, 0 < r < 1 ->
  rho2 (- ((1 + beta) * q1)) (beta * q1) <= r ->
  rho2 (- ((1 + beta) * q2)) (beta * q2) <= r ->
  3 * ((1 - r) * (1 - r)) * (1 - q2) <= (1 + r) * (3 - r) * (1 - q1) /\
  ((2 - r) * beta <> r -> 3 * ((1 - r) * (1 - r)) * (1 - q2) < (1 + r) * (3 - r) * (1 - q1)).
Proof.
  intros r beta q1 q2 Hr Hm HL.
  destruct (nes_jury r beta q1 ltac:(lra) Hm) as [M1 [M2 [M3 M4]]].
  destruct (nes_jury r beta q2 ltac:(lra) HL) as [L1 [L2 [L3 L4]]].
  destruct (Rle_dec r ((2 - r) * beta)) as [Ha | Ha].
  - destruct (nes_case_a r beta q1 q2 Hr Ha M1 L4) as [A1 A2].
    split; [exact A1 |]. intros Hne. apply A2. lra.
  - destruct (Rle_dec (2 * beta + r) 0) as [Hc | Hc].
    + pose proof (nes_case_c r beta q1 q2 Hr Hc M3 L1). split; [lra | intros; lra].
    + destruct (nes_case_b r beta q1 q2 Hr ltac:(lra) ltac:(lra) M3 L4) as [B1 B2].
      split; [exact B1 |]. intros _. apply B2. lra.
Qed.

Lemma nes_core_eq : forall r beta q1 q2, 0 < r < 1 ->
  rho2 (- ((1 + beta) * q1)) (beta * q1) <= r ->
  rho2 (- ((1 + beta) * q2)) (beta * q2) <= r ->
  3 * ((1 - r) * (1 - r)) * (1 - q2) = (1 + r) * (3 - r) * (1 - q1) ->
  (2 - r) * beta = r /\ 1 - q1 = (1 - r) * (1 - r).
Proof.
  intros r beta q1 q2 Hr Hm HL Heq.
  destruct (nes_core r beta q1 q2 Hr Hm HL) as [_ Hs].
  assert (Hb : (2 - r) * beta = r).
  { destruct (Req_dec ((2 - r) * beta) r) as [E | Ne]; [exact E |].
    specialize (Hs Ne). lra. }
  split; [exact Hb |].
  destruct (nes_jury r beta q1 ltac:(lra) Hm) as [_ [_ [M3 _]]].
  destruct (nes_jury r beta q2 ltac:(lra) HL) as [_ [_ [_ L4]]].
  assert (Hbe : beta = r / (2 - r)) by (field_simplify_eq; lra).
  (* at mu: c1 = r/(2 - r), so q1 <= r (2 - r) *)
  assert (Lo : (1 - r) * (1 - r) <= 1 - q1).
  { assert (E1 : r - beta * (1 - r) = r / (2 - r)) by (rewrite Hbe; field; lra).
    rewrite E1 in M3.
    assert (q1 * r <= r * r * (2 - r)).
    { apply (Rmult_le_reg_r (/ (2 - r))); [apply Rinv_0_lt_compat; lra |].
      replace (q1 * r * / (2 - r)) with (q1 * (r / (2 - r))) by (field; lra).
      replace (r * r * (2 - r) * / (2 - r)) with (r * r) by (field; lra). exact M3. }
    nra. }
  (* at L: c2 = 3 r/(2 - r), so 3 (1 - q2) <= (1 + r)(3 - r) *)
  assert (Hi : 3 * (1 - q2) <= (1 + r) * (3 - r)).
  { assert (E2 : r + beta * (1 + r) = 3 * r / (2 - r)) by (rewrite Hbe; field; lra).
    rewrite E2 in L4.
    assert (- q2 * (3 * r) <= r * r * (2 - r)).
    { apply (Rmult_le_reg_r (/ (2 - r))); [apply Rinv_0_lt_compat; lra |].
      replace (- q2 * (3 * r) * / (2 - r)) with (- q2 * (3 * r / (2 - r))) by (field; lra).
      replace (r * r * (2 - r) * / (2 - r)) with (r * r) by (field; lra). exact L4. }
    nra. }
  assert (Hup : (1 + r) * (3 - r) * (1 - q1) <= (1 + r) * (3 - r) * ((1 - r) * (1 - r))).
  { rewrite <- Heq.
    replace ((1 + r) * (3 - r) * ((1 - r) * (1 - r))) with (((1 - r) * (1 - r)) * ((1 + r) * (3 - r))) by ring.
    replace (3 * ((1 - r) * (1 - r)) * (1 - q2)) with (((1 - r) * (1 - r)) * (3 * (1 - q2))) by ring.
    apply Rmult_le_compat_l; [nra | exact Hi]. }
  assert (1 - q1 <= (1 - r) * (1 - r)).
  { apply (Rmult_le_reg_l ((1 + r) * (3 - r))); [nra | exact Hup]. }
  lra.
Qed.

(** ** From (alpha, beta) on [mu, L] to the core *)
Lemma nes_t_facts : forall mu L, 0 < mu <= L ->
  let t := nes2_t mu L in
  t * t = 3 * (L / mu) + 1 /\ 2 <= t /\ L = mu * (L / mu).
Proof.
  intros mu L Hml t.
  assert (Hk : 1 <= L / mu).
  { apply (Rmult_le_reg_r mu); [lra |]. unfold Rdiv; rewrite Rmult_assoc, Rinv_l by lra; lra. }
  assert (Htt : t * t = 3 * (L / mu) + 1) by (apply sqrt_sqrt; lra).
  split; [exact Htt | split].
  - unfold t, nes2_t. rewrite <- (sqrt_square 2) by lra. apply sqrt_le_1_alt; lra.
  - field; lra.
Qed.

(** rho <= r < 1 at both ends gives alpha mu > 0 and 3 (1 - r)^2 kappa <= (1 + r)(3 - r). *)
Lemma nes_ends : forall mu L alpha beta r, 0 < mu <= L -> 0 < r < 1 ->
  rho_nes alpha beta mu <= r -> rho_nes alpha beta L <= r ->
  (1 - r) * (1 - r) <= alpha * mu /\
  3 * ((1 - r) * (1 - r)) * (alpha * L) <= (1 + r) * (3 - r) * (alpha * mu) /\
  3 * ((1 - r) * (1 - r)) * (L / mu) <= (1 + r) * (3 - r).
Proof.
  intros mu L alpha beta r Hml Hr Hm HL.
  rewrite rho_nes_eq in Hm, HL.
  pose proof (p1_lower r _ _ ltac:(lra) Hm) as P.
  replace (1 + - ((1 + beta) * (1 - alpha * mu)) + beta * (1 - alpha * mu)) with (alpha * mu) in P by ring.
  destruct (nes_core r beta (1 - alpha * mu) (1 - alpha * L) Hr Hm HL) as [C _].
  replace (1 - (1 - alpha * mu)) with (alpha * mu) in C by ring.
  replace (1 - (1 - alpha * L)) with (alpha * L) in C by ring.
  split; [exact P | split; [exact C |]].
  assert (Ham : 0 < alpha * mu) by nra.
  assert (EL : alpha * L = (L / mu) * (alpha * mu)) by (field; lra).
  rewrite EL in C.
  apply (Rmult_le_reg_r (alpha * mu)); [exact Ham | lra].
Qed.

(** ** Theorem N1: no (alpha, beta) beats 1 - 2/sqrt(3 kappa + 1) at both ends. *)
Theorem nesterov_lower_bound : forall mu L alpha beta, 0 < mu <= L ->
  1 - 2 / nes2_t mu L <= Rmax (rho_nes alpha beta mu) (rho_nes alpha beta L).
Proof.
  intros mu L alpha beta Hml.
  destruct (nes_t_facts mu L Hml) as [Htt [Ht2 _]].
  set (t := nes2_t mu L) in *.
  apply le_all_pos_le_0.
  - pose proof (rho2_nonneg (- ((1 + beta) * (1 - alpha * mu))) (beta * (1 - alpha * mu))) as H.
    rewrite <- rho_nes_eq in H. eapply Rle_trans; [exact H | apply Rmax_l].
  - intros r Hr Hmax.
    assert (H2t : 0 < 2 / t) by (apply Rdiv_lt_0_compat; lra).
    destruct (Rlt_dec r 1) as [Hr1 | Hr1]; [| lra].
    assert (Hm : rho_nes alpha beta mu <= r) by (eapply Rle_trans; [apply Rmax_l | exact Hmax]).
    assert (HL : rho_nes alpha beta L <= r) by (eapply Rle_trans; [apply Rmax_r | exact Hmax]).
    destruct (nes_ends mu L alpha beta r Hml (conj Hr Hr1) Hm HL) as [_ [_ K]].
    (* (t (1 - r))^2 = (3 kappa + 1)(1 - r)^2 <= 4 *)
    assert (Hsq : (t * (1 - r)) * (t * (1 - r)) <= 2 * 2).
    { replace ((t * (1 - r)) * (t * (1 - r))) with ((t * t) * ((1 - r) * (1 - r))) by ring.
      rewrite Htt. nra. }
    assert (Ht1 : t * (1 - r) <= 2) by (apply sq_le; lra).
    assert (1 - r <= 2 / t).
    { apply (Rmult_le_reg_l t); [lra |]. replace (t * (2 / t)) with 2 by (field; lra). exact Ht1. }
    lra.
Qed.

(** ** Theorem N2: uniqueness.  For mu < L only the tuning reaches the bound at both ends. *)
Theorem nesterov_unique : forall mu L alpha beta, 0 < mu < L ->
  rho_nes alpha beta mu <= 1 - 2 / nes2_t mu L -> rho_nes alpha beta L <= 1 - 2 / nes2_t mu L ->
  alpha = nes2_alpha mu L /\ beta = nes2_beta mu L.
Proof.
  intros mu L alpha beta Hml Hm HL.
  assert (Hml' : 0 < mu <= L) by lra.
  destruct (nes_t_facts mu L Hml') as [Htt [Ht2 EL]].
  unfold nes2_beta. set (t := nes2_t mu L) in *.
  assert (Hk : 1 < L / mu).
  { apply (Rmult_lt_reg_r mu); [lra |]. unfold Rdiv; rewrite Rmult_assoc, Rinv_l by lra; lra. }
  assert (Ht : 2 < t) by nra.
  set (r := 1 - 2 / t) in *.
  assert (Er : r = (t - 2) / t) by (unfold r; field; lra).
  assert (Hr : 0 < r < 1).
  { rewrite Er. split; [apply Rdiv_lt_0_compat; lra |].
    apply (Rmult_lt_reg_r t); [lra |]. replace ((t - 2) / t * t) with (t - 2) by (field; lra). lra. }
  destruct (nes_ends mu L alpha beta r Hml' Hr Hm HL) as [P [C _]].
  (* at r = 1 - 2/t, 3 (1 - r)^2 kappa = (1 + r)(3 - r): the core inequality is an equality *)
  assert (Hk3 : 3 * ((1 - r) * (1 - r)) * (L / mu) = (1 + r) * (3 - r)).
  { assert (E3 : 3 * (L / mu) = t * t - 1) by lra.
    rewrite Er. replace (3 * (((1 - (t - 2) / t)) * (1 - (t - 2) / t)) * (L / mu))
      with ((1 - (t - 2) / t) * (1 - (t - 2) / t) * (3 * (L / mu))) by ring.
    rewrite E3. field. lra. }
  rewrite rho_nes_eq in Hm, HL.
  assert (Heq : 3 * ((1 - r) * (1 - r)) * (1 - (1 - alpha * L)) =
                (1 + r) * (3 - r) * (1 - (1 - alpha * mu))).
  { replace (1 - (1 - alpha * L)) with ((L / mu) * (alpha * mu)) by (field; lra).
    replace (1 - (1 - alpha * mu)) with (alpha * mu) by ring.
    rewrite <- Hk3. ring. }
  destruct (nes_core_eq r beta (1 - alpha * mu) (1 - alpha * L) Hr Hm HL Heq) as [Hb Ha].
  split.
  - unfold nes2_alpha.
    assert (Eam : alpha * mu = 4 / (t * t)).
    { replace (alpha * mu) with (1 - (1 - alpha * mu)) by ring. rewrite Ha, Er. field. lra. }
    assert (E4 : 3 * L + mu = mu * (t * t)).
    { rewrite Htt. field. lra. }
    rewrite E4. apply (Rmult_eq_reg_r mu); [| lra].
    rewrite Eam. field. split; [lra | nra].
  - apply (Rmult_eq_reg_l (2 - r)); [| lra].
    rewrite Hb, Er. field. lra.
Qed.

(** ** Theorem N: the tuning attains the bound over the whole interval, no
    (alpha, beta) does better, and for mu < L no other (alpha, beta) attains it. *)
Theorem nesterov_optimal : forall mu L, 0 < mu <= L ->
  (forall lambda, mu <= lambda <= L ->
     rho_nes (nes2_alpha mu L) (nes2_beta mu L) lambda <= 1 - 2 / nes2_t mu L) /\
  (forall alpha beta, exists lambda, mu <= lambda <= L /\
     1 - 2 / nes2_t mu L <= rho_nes alpha beta lambda) /\
  (mu < L -> forall alpha beta,
     rho_nes alpha beta mu <= 1 - 2 / nes2_t mu L -> rho_nes alpha beta L <= 1 - 2 / nes2_t mu L ->
     alpha = nes2_alpha mu L /\ beta = nes2_beta mu L).
Proof.
  intros mu L Hml. split; [| split].
  - apply (nesterov_tuning2_rate mu L Hml).
  - intros alpha beta.
    pose proof (nesterov_lower_bound mu L alpha beta Hml) as H.
    unfold Rmax in H. destruct (Rle_dec (rho_nes alpha beta mu) (rho_nes alpha beta L)).
    + exists L. split; [lra | exact H].
    + exists mu. split; [lra | exact H].
  - intros Hlt alpha beta. apply nesterov_unique; lra.
Qed.
