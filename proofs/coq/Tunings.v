(** * Optimal gradient descent and the exact worst-case rates of the two
      Nesterov tunings of SPEC section 6 (theorems of proofs/optimal_gd.md and
      proofs/nesterov_rates.md). *)
Require Import Reals Lra Psatz.
Require Import Momentum.Matrices Momentum.Quadratic Momentum.Regions Momentum.QuasiConvex.
Open Scope R_scope.

(** ** Gradient descent with eta = 2/(mu + L) *)
Theorem gd_optimal_rate : forall mu L lambda, 0 < mu <= L -> mu <= lambda <= L ->
  rho_gd (2 / (mu + L)) lambda <= (L / mu - 1) / (L / mu + 1) /\
  rho_gd (2 / (mu + L)) mu = (L / mu - 1) / (L / mu + 1) /\
  rho_gd (2 / (mu + L)) L = (L / mu - 1) / (L / mu + 1).
Proof.
  intros mu L lambda Hml Hl. unfold rho_gd.
  assert (Hk : (L / mu - 1) / (L / mu + 1) = (L - mu) / (L + mu)) by (field; lra).
  rewrite Hk.
  assert (E1 : 1 - 2 / (mu + L) * mu = (L - mu) / (L + mu)) by (field; lra).
  assert (E2 : 1 - 2 / (mu + L) * L = - ((L - mu) / (L + mu))) by (field; lra).
  assert (Hp : 0 <= (L - mu) / (L + mu)).
  { unfold Rdiv; apply Rmult_le_pos; [lra | left; apply Rinv_0_lt_compat; lra]. }
  split; [| split].
  - apply Rabs_le.
    assert (Hinv : 0 < 2 / (mu + L)) by (apply Rdiv_lt_0_compat; lra).
    assert (2 / (mu + L) * mu <= 2 / (mu + L) * lambda) by (apply Rmult_le_compat_l; lra).
    assert (2 / (mu + L) * lambda <= 2 / (mu + L) * L) by (apply Rmult_le_compat_l; lra).
    lra.
  - rewrite E1. apply Rabs_right; lra.
  - rewrite E2, Rabs_Ropp. apply Rabs_right; lra.
Qed.

(** No step size does better at both mu and L. *)
Theorem gd_lower_bound : forall mu L eta, 0 < mu <= L ->
  (L / mu - 1) / (L / mu + 1) <= Rmax (rho_gd eta mu) (rho_gd eta L).
Proof.
  intros mu L eta Hml. unfold rho_gd.
  assert (Hk : (L / mu - 1) / (L / mu + 1) = (L - mu) / (L + mu)) by (field; lra).
  rewrite Hk.
  pose proof (Rmax_l (Rabs (1 - eta * mu)) (Rabs (1 - eta * L))).
  pose proof (Rmax_r (Rabs (1 - eta * mu)) (Rabs (1 - eta * L))).
  set (m := Rmax (Rabs (1 - eta * mu)) (Rabs (1 - eta * L))) in *.
  pose proof (Rabs_bounds (1 - eta * mu)). pose proof (Rabs_bounds (1 - eta * L)).
  (* L (1 - eta mu) - mu (1 - eta L) = L - mu *)
  assert (X1 : L * (1 - eta * mu) <= L * m) by (apply Rmult_le_compat_l; lra).
  assert (X2 : mu * (- (1 - eta * L)) <= mu * m) by (apply Rmult_le_compat_l; lra).
  assert (H3 : L - mu <= (L + mu) * m).
  { replace (L - mu) with (L * (1 - eta * mu) + mu * (- (1 - eta * L))) by ring. lra. }
  apply (Rmult_le_reg_r (L + mu)); [lra |].
  unfold Rdiv; rewrite Rmult_assoc, Rinv_l by lra. lra.
Qed.

(** The optimal step is unique when mu < L. *)
Theorem gd_unique : forall mu L eta, 0 < mu < L ->
  Rmax (rho_gd eta mu) (rho_gd eta L) <= (L / mu - 1) / (L / mu + 1) -> eta = 2 / (mu + L).
Proof.
  intros mu L eta Hml H. unfold rho_gd in H.
  assert (Hk : (L / mu - 1) / (L / mu + 1) = (L - mu) / (L + mu)) by (field; lra).
  rewrite Hk in H.
  pose proof (Rmax_l (Rabs (1 - eta * mu)) (Rabs (1 - eta * L))).
  pose proof (Rmax_r (Rabs (1 - eta * mu)) (Rabs (1 - eta * L))).
  pose proof (Rabs_bounds (1 - eta * mu)). pose proof (Rabs_bounds (1 - eta * L)).
  assert (G1 : 1 - eta * mu <= (L - mu) / (L + mu)) by lra.
  assert (G2 : eta * L - 1 <= (L - mu) / (L + mu)) by lra.
  assert (E1 : (L - mu) / (L + mu) = 1 - 2 / (mu + L) * mu) by (field; lra).
  assert (E2 : (L - mu) / (L + mu) = 2 / (mu + L) * L - 1) by (field; lra).
  rewrite E1 in G1. rewrite E2 in G2.
  assert (A1 : 2 / (mu + L) * mu <= eta * mu) by lra.
  assert (A2 : eta * L <= 2 / (mu + L) * L) by lra.
  apply Rle_antisym.
  - apply (Rmult_le_reg_r L); lra.
  - apply (Rmult_le_reg_r mu); lra.
Qed.

(** ** A useful evaluation of rho2 when the discriminant is a square. *)
Lemma rho2_real_closed : forall a1 a0 d, 0 <= d -> a1 * a1 - 4 * a0 = d * d ->
  rho2 a1 a0 = (Rabs a1 + d) / 2.
Proof.
  intros a1 a0 d Hd HD. unfold rho2, disc. rewrite HD.
  destruct (Rlt_dec (d * d) 0) as [Hlt | _]; [nra |].
  rewrite sqrt_square by exact Hd. reflexivity.
Qed.

Lemma sqrt_ge_1 : forall k, 1 <= k -> 1 <= sqrt k.
Proof. intros k Hk. rewrite <- sqrt_1. apply sqrt_le_1_alt; exact Hk. Qed.

(** ** Nesterov with alpha = 1/L, beta = (sqrt kappa - 1)/(sqrt kappa + 1):
    worst-case rate over [mu, L] exactly 1 - 1/sqrt kappa (attained at mu,
    where the root is double), and rho = 0 at L. *)
Definition nes1_beta (mu L : R) : R := (sqrt (L / mu) - 1) / (sqrt (L / mu) + 1).

Theorem nesterov_tuning1_rate : forall mu L, 0 < mu <= L ->
  let alpha := 1 / L in let beta := nes1_beta mu L in
  rho_nes alpha beta mu = 1 - 1 / sqrt (L / mu) /\
  rho_nes alpha beta L = 0 /\
  (forall lambda, mu <= lambda <= L -> rho_nes alpha beta lambda <= 1 - 1 / sqrt (L / mu)).
Proof.
  intros mu L Hml alpha beta.
  set (s := sqrt (L / mu)).
  assert (Hk : 1 <= L / mu).
  { apply (Rmult_le_reg_r mu); [lra |]. unfold Rdiv; rewrite Rmult_assoc, Rinv_l by lra; lra. }
  assert (Hs1 : 1 <= s) by (apply sqrt_ge_1; exact Hk).
  assert (Hss : s * s = L / mu) by (apply sqrt_sqrt; lra).
  assert (Ham : alpha * mu = 1 / (s * s)) by (rewrite Hss; unfold alpha; field; lra).
  assert (HaL : alpha * L = 1) by (unfold alpha; field; lra).
  assert (Hb : beta = (s - 1) / (s + 1)) by reflexivity.
  assert (Hmu : rho_nes alpha beta mu = 1 - 1 / s).
  { rewrite rho_nes_eq, Ham, Hb.
    rewrite (rho2_real_closed _ _ 0); [| lra | field; lra].
    assert (E : - ((1 + (s - 1) / (s + 1)) * (1 - 1 / (s * s))) = - (2 * (1 - 1 / s))) by (field; lra).
    assert (1 / s <= 1).
    { unfold Rdiv; rewrite Rmult_1_l. rewrite <- Rinv_1. apply Rinv_le_contravar; lra. }
    rewrite E, Rabs_Ropp, Rabs_right by lra. field; lra. }
  assert (HL : rho_nes alpha beta L = 0).
  { rewrite rho_nes_eq, HaL.
    replace (1 - 1) with 0 by ring.
    rewrite (rho2_real_closed _ _ 0); [| lra | ring].
    rewrite Rmult_0_r, Ropp_0, Rabs_R0. field. }
  split; [exact Hmu | split; [exact HL |]].
  intros lambda Hl.
  eapply Rle_trans; [apply nes_endpoint_max; exact Hl |].
  rewrite Hmu, HL. apply Rmax_lub; [lra |].
  assert (1 / s <= 1).
  { unfold Rdiv; rewrite Rmult_1_l. rewrite <- Rinv_1. apply Rinv_le_contravar; lra. }
  lra.
Qed.

(** ** Nesterov with alpha = 4/(3L + mu), beta = (sqrt(3 kappa + 1) - 2)/(sqrt(3 kappa + 1) + 2):
    worst-case rate over [mu, L] exactly 1 - 2/sqrt(3 kappa + 1), attained at
    both mu (double root) and L (roots -(1 - 2/t) and (1 - 2/t)/3). *)
Definition nes2_alpha (mu L : R) : R := 4 / (3 * L + mu).
Definition nes2_t (mu L : R) : R := sqrt (3 * (L / mu) + 1).
Definition nes2_beta (mu L : R) : R := (nes2_t mu L - 2) / (nes2_t mu L + 2).

Theorem nesterov_tuning2_rate : forall mu L, 0 < mu <= L ->
  let alpha := nes2_alpha mu L in let beta := nes2_beta mu L in
  let t := nes2_t mu L in
  rho_nes alpha beta mu = 1 - 2 / t /\
  rho_nes alpha beta L = 1 - 2 / t /\
  (forall lambda, mu <= lambda <= L -> rho_nes alpha beta lambda <= 1 - 2 / t).
Proof.
  intros mu L Hml alpha beta t.
  assert (Hk : 1 <= L / mu).
  { apply (Rmult_le_reg_r mu); [lra |]. unfold Rdiv; rewrite Rmult_assoc, Rinv_l by lra; lra. }
  assert (Htt : t * t = 3 * (L / mu) + 1) by (apply sqrt_sqrt; lra).
  assert (Ht2 : 2 <= t).
  { unfold t, nes2_t. rewrite <- (sqrt_square 2) by lra. apply sqrt_le_1_alt; lra. }
  assert (HLmu : L = mu * ((t * t - 1) / 3)) by (rewrite Htt; field; lra).
  assert (Ham : alpha * mu = 4 / (t * t)).
  { unfold alpha, nes2_alpha. rewrite HLmu. field. split; [nra | lra]. }
  assert (HaL : alpha * L = 4 * ((t * t - 1) / 3) / (t * t)).
  { unfold alpha, nes2_alpha. rewrite HLmu. field. split; [nra | lra]. }
  assert (Hb : beta = (t - 2) / (t + 2)) by reflexivity.
  assert (Hw : 0 <= 1 - 2 / t).
  { assert (2 / t <= 1).
    { apply (Rmult_le_reg_r t); [lra |]. unfold Rdiv; rewrite Rmult_assoc, Rinv_l by lra; lra. }
    lra. }
  assert (Hmu : rho_nes alpha beta mu = 1 - 2 / t).
  { rewrite rho_nes_eq, Ham, Hb.
    rewrite (rho2_real_closed _ _ 0); [| lra | field; lra].
    assert (E : - ((1 + (t - 2) / (t + 2)) * (1 - 4 / (t * t))) = - (2 * (1 - 2 / t))) by (field; lra).
    rewrite E, Rabs_Ropp, Rabs_right by lra. field; lra. }
  assert (HL : rho_nes alpha beta L = 1 - 2 / t).
  { rewrite rho_nes_eq, HaL, Hb.
    rewrite (rho2_real_closed _ _ (4 / 3 * (1 - 2 / t))); [| lra | field; lra].
    assert (E : - ((1 + (t - 2) / (t + 2)) * (1 - 4 * ((t * t - 1) / 3) / (t * t)))
                = 2 / 3 * (1 - 2 / t)) by (field; lra).
    rewrite E, Rabs_right by lra. field; lra. }
  split; [exact Hmu | split; [exact HL |]].
  intros lambda Hl.
  eapply Rle_trans; [apply nes_endpoint_max; exact Hl |].
  rewrite Hmu, HL. apply Rmax_lub; lra.
Qed.

(** For kappa > 1 the second tuning is strictly faster than the first, so
    the first (alpha = 1/L) is not optimal. *)
Theorem nesterov_tuning2_beats_tuning1 : forall mu L, 0 < mu < L ->
  1 - 2 / nes2_t mu L < 1 - 1 / sqrt (L / mu).
Proof.
  intros mu L Hml. unfold nes2_t.
  assert (Hk : 1 < L / mu).
  { apply (Rmult_lt_reg_r mu); [lra |]. unfold Rdiv; rewrite Rmult_assoc, Rinv_l by lra; lra. }
  set (k := L / mu) in *.
  set (s := sqrt k). set (t := sqrt (3 * k + 1)).
  assert (Hs : 0 < s) by (apply sqrt_lt_R0; lra).
  assert (Ht : 0 < t) by (apply sqrt_lt_R0; lra).
  assert (Hss : s * s = k) by (apply sqrt_sqrt; lra).
  assert (Htt : t * t = 3 * k + 1) by (apply sqrt_sqrt; lra).
  (* 1/s < 2/t  <=>  t < 2 s  <=>  3k + 1 < 4k *)
  assert (Hts : t < 2 * s) by nra.
  assert (1 / s < 2 / t).
  { apply (Rmult_lt_reg_r (s * t)); [nra |].
    replace (1 / s * (s * t)) with t by (field; lra).
    replace (2 / t * (s * t)) with (2 * s) by (field; lra). exact Hts. }
  lra.
Qed.

(** ** Heavy ball critically damped at one eigenvalue: beta = (1 - sqrt s)^2
    with s = alpha lambda in [0, 1] gives a double root and rate 1 - sqrt s. *)
Theorem hb_critical_one : forall alpha lambda, 0 <= alpha * lambda <= 1 ->
  let beta := (1 - sqrt (alpha * lambda)) * (1 - sqrt (alpha * lambda)) in
  (1 + beta - alpha * lambda) * (1 + beta - alpha * lambda) - 4 * beta = 0 /\
  rho_hb alpha beta lambda = 1 - sqrt (alpha * lambda).
Proof.
  intros alpha lambda Hs beta.
  set (u := sqrt (alpha * lambda)) in *.
  assert (Hu : u * u = alpha * lambda) by (apply sqrt_sqrt; lra).
  assert (Hu0 : 0 <= u) by apply sqrt_pos.
  assert (Hu1 : u <= 1) by (unfold u; rewrite <- sqrt_1; apply sqrt_le_1_alt; lra).
  assert (HD : (1 + beta - alpha * lambda) * (1 + beta - alpha * lambda) - 4 * beta = 0)
    by (unfold beta; rewrite <- Hu; ring).
  split; [exact HD |].
  rewrite rho_hb_eq, (rho2_real_closed _ _ 0); [| lra | nra].
  rewrite Rabs_Ropp, Rabs_right; unfold beta; rewrite <- Hu; [field | nra].
Qed.
