// spineflow dashboard. Vanilla JS; Chart.js from its WebJar. Every text that comes from an event is
// set with textContent or as an attribute value, never parsed as HTML.
(function () {
  'use strict';

  const CLASS = [
    null,
    { name: 'vertebrae', label: 'Vertebrae', short: 'Vertebrae', colour: '#ffbe00' },
    { name: 'spinal canal', label: 'Spinal canal', short: 'Canal', colour: '#00aaff' },
    { name: 'discs', label: 'Discs', short: 'Discs', colour: '#ff28aa' },
  ];
  const BASELINE_KEYS = [
    [],
    ['dice.vertebrae', 'dice.vertebra'],
    ['dice.canal', 'dice.spinal_canal', 'dice.spinal canal', 'dice.spinalcanal'],
    ['dice.discs', 'dice.disc', 'dice.ivds', 'dice.ivd'],
  ];
  const GRID = 'rgba(140, 155, 171, 0.12)';
  const TICK = '#8c9bab';

  const view = { span: 60, series: 'all', refresh: 2000, timer: null, charts: {}, last: null };

  // ---------- DOM helpers (text only) ----------
  function el(tag, options, children) {
    const node = document.createElement(tag);
    const o = options || {};
    if (o.cls) node.className = o.cls;
    if (o.text !== undefined && o.text !== null) node.textContent = String(o.text);
    if (o.title) node.setAttribute('title', String(o.title));
    if (o.attrs) {
      Object.keys(o.attrs).forEach((k) => node.setAttribute(k, String(o.attrs[k])));
    }
    (children || []).forEach((c) => c && node.appendChild(c));
    return node;
  }
  function replace(node, children) {
    node.replaceChildren(...children.filter(Boolean));
  }
  function byId(id) {
    return document.getElementById(id);
  }
  // A panel is rebuilt only when its data changed, so selections and hovers survive a poll.
  const seen = {};
  function changed(panel, data) {
    const signature = JSON.stringify(data);
    if (seen[panel] === signature) return false;
    seen[panel] = signature;
    return true;
  }

  // ---------- formatting ----------
  function fmt(value, digits) {
    return value === null || value === undefined || Number.isNaN(value) ? '—' : Number(value).toFixed(digits);
  }
  function pad(n) {
    return String(n).padStart(2, '0');
  }
  function clock(ms) {
    const d = new Date(ms);
    return pad(d.getHours()) + ':' + pad(d.getMinutes());
  }
  function clockSeconds(ms) {
    const d = new Date(ms);
    return clock(ms) + ':' + pad(d.getSeconds());
  }
  function ago(ms, now) {
    const s = Math.max(0, Math.round((now - ms) / 1000));
    if (s < 60) return s + ' s ago';
    if (s < 3600) return Math.round(s / 60) + ' min ago';
    if (s < 86400) return Math.round(s / 3600) + ' h ago';
    return Math.round(s / 86400) + ' d ago';
  }
  function millis(ms) {
    if (ms === null || ms === undefined) return '—';
    return ms >= 1000 ? (ms / 1000).toFixed(ms >= 10000 ? 0 : 1) + ' s' : Math.round(ms) + ' ms';
  }
  function scoreClass(dice) {
    if (dice === null || dice === undefined) return '';
    return dice >= 0.85 ? 'score-good' : dice >= 0.7 ? 'score-warn' : 'score-bad';
  }
  function baselineOf(metrics, c) {
    if (!metrics) return null;
    for (const key of Object.keys(metrics)) {
      if (BASELINE_KEYS[c].includes(key.toLowerCase()) && metrics[key] !== null) return metrics[key];
    }
    return null;
  }

  // ---------- charts ----------
  // Vertical markers where a model version went live (drawn under the data).
  const versionMarkers = {
    id: 'versionMarkers',
    beforeDatasetsDraw(chart, args, options) {
      const marks = (options && options.marks) || [];
      const x = chart.scales.x;
      const area = chart.chartArea;
      const ctx = chart.ctx;
      ctx.save();
      marks.forEach((m) => {
        if (m.at < x.min || m.at > x.max) return;
        const px = x.getPixelForValue(m.at);
        ctx.strokeStyle = m.rollback ? 'rgba(251, 191, 36, 0.8)' : 'rgba(203, 213, 225, 0.55)';
        ctx.setLineDash([4, 4]);
        ctx.lineWidth = 1;
        ctx.beginPath();
        ctx.moveTo(px, area.top);
        ctx.lineTo(px, area.bottom);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.fillStyle = m.rollback ? '#fbbf24' : '#cbd5e1';
        ctx.font = '600 11px system-ui, sans-serif';
        ctx.fillText(m.label, Math.min(px + 4, area.right - 40), area.top + 12);
      });
      ctx.restore();
    },
  };

  // Ticks on round minutes: every 2, 10, 30 or 60 minutes depending on the span.
  function tickStep(from, to) {
    const minutes = (to - from) / 60000;
    const step = minutes <= 20 ? 2 : minutes <= 90 ? 10 : minutes <= 240 ? 30 : 60;
    return step * 60000;
  }

  function timeScale(from, to) {
    return {
      type: 'linear',
      min: from,
      max: to,
      grid: { color: GRID },
      ticks: { color: TICK, stepSize: tickStep(from, to), callback: (v) => clock(v) },
      // On round wall-clock minutes (10:10, 10:20, ...), not on the span's first minute.
      afterBuildTicks: (axis) => {
        const step = axis.options.ticks.stepSize;
        const ticks = [];
        for (let v = Math.ceil(axis.min / step) * step; v <= axis.max; v += step) ticks.push({ value: v });
        axis.ticks = ticks;
      },
    };
  }

  function setSpan(chart, state) {
    chart.options.scales.x.min = state.from;
    chart.options.scales.x.max = state.to;
    chart.options.scales.x.ticks.stepSize = tickStep(state.from, state.to);
  }

  function makeChart(id, config) {
    if (typeof Chart === 'undefined') return null;
    const canvas = byId(id);
    const chart = new Chart(canvas, config);
    view.charts[id] = chart;
    return chart;
  }

  function baseOptions(from, to) {
    return {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      plugins: {
        legend: { labels: { color: '#c9d4df', boxWidth: 12, boxHeight: 12, usePointStyle: true } },
        tooltip: {
          callbacks: { title: (items) => (items.length ? clock(items[0].parsed.x) : '') },
        },
      },
      scales: { x: timeScale(from, to) },
    };
  }

  function renderDiceChart(state) {
    const series = state.quality.find((s) => s.key === view.series) || state.quality[0];
    const points = series ? series.points : [];
    const half = state.windowMillis / 2;
    const live = state.models.live[0];
    const datasets = [];
    for (let c = 1; c <= 3; c++) {
      datasets.push({
        label: CLASS[c].label,
        data: points.filter((p) => p.dice[c] !== null).map((p) => ({ x: p.t + half, y: p.dice[c] })),
        borderColor: CLASS[c].colour,
        backgroundColor: CLASS[c].colour,
        borderWidth: 2,
        pointRadius: 2.5,
        tension: 0.25,
        spanGaps: true,
      });
    }
    if (live) {
      for (let c = 1; c <= 3; c++) {
        const b = baselineOf(live.validationMetrics, c);
        if (b === null) continue;
        datasets.push({
          label: CLASS[c].label + ' validation',
          data: [{ x: state.from, y: b }, { x: state.to, y: b }],
          borderColor: CLASS[c].colour + '99',
          borderDash: [6, 5],
          borderWidth: 1.2,
          pointRadius: 0,
          isBaseline: true,
        });
      }
    }
    const marks = state.models.timeline
      .filter((e) => e.kind === 'PROMOTED' || e.kind === 'ROLLBACK')
      .map((e) => ({ at: e.at, label: 'v' + e.version, rollback: e.kind === 'ROLLBACK' }));
    let chart = view.charts['dice-chart'];
    if (!chart) {
      const options = baseOptions(state.from, state.to);
      options.scales.y = {
        min: 0,
        max: 1,
        grid: { color: GRID },
        ticks: { color: TICK, stepSize: 0.2 },
        title: { display: true, text: 'Dice', color: TICK },
      };
      options.plugins.legend.labels.filter = (item, data) => !data.datasets[item.datasetIndex].isBaseline;
      options.plugins.versionMarkers = { marks };
      chart = makeChart('dice-chart', { type: 'line', data: { datasets }, options, plugins: [versionMarkers] });
      if (!chart) return;
    } else {
      chart.data.datasets = datasets;
      setSpan(chart, state);
      chart.options.plugins.versionMarkers.marks = marks;
      chart.update('none');
    }
    // Zoom in on the data when every value is high, so a drop of a few points is visible.
    const values = datasets.flatMap((d) => d.data.map((p) => p.y));
    const low = values.length ? Math.min(...values) : 0;
    chart.options.scales.y.min = low > 0.6 ? Math.floor((low - 0.05) * 10) / 10 : 0;
    chart.options.scales.y.max = 1;
    chart.update('none');
  }

  function renderSignalsChart(state) {
    const all = state.quality.find((s) => s.key === 'all');
    const points = all ? all.points : [];
    const half = state.windowMillis / 2;
    const line = (label, key, colour, axis, dash) => ({
      label,
      data: points.filter((p) => p.signals[key] !== null).map((p) => ({ x: p.t + half, y: p.signals[key] })),
      borderColor: colour,
      backgroundColor: colour,
      borderWidth: 2,
      pointRadius: 2,
      tension: 0.25,
      yAxisID: axis,
      borderDash: dash || [],
    });
    const datasets = [
      line('Confidence (mean max p)', 'meanMaxProbability', '#2dd4bf', 'y'),
      line('Plausibility', 'plausibilityScore', '#a78bfa', 'y'),
      line('Entropy (nats)', 'meanEntropyNats', '#f97316', 'y2', [5, 4]),
    ];
    let chart = view.charts['signals-chart'];
    if (!chart) {
      const options = baseOptions(state.from, state.to);
      options.scales.y = {
        min: 0,
        max: 1,
        grid: { color: GRID },
        ticks: { color: TICK },
        title: { display: true, text: 'confidence · plausibility', color: TICK },
      };
      options.scales.y2 = {
        position: 'right',
        min: 0,
        suggestedMax: 0.6,
        grid: { drawOnChartArea: false },
        ticks: { color: TICK },
        title: { display: true, text: 'entropy (nats)', color: TICK },
      };
      makeChart('signals-chart', { type: 'line', data: { datasets }, options });
    } else {
      chart.data.datasets = datasets;
      setSpan(chart, state);
      chart.update('none');
    }
  }

  function renderThroughputChart(state) {
    const half = state.windowMillis / 2;
    const pts = state.throughput;
    const latency = (label, key, colour, dash) => ({
      type: 'line',
      label,
      data: pts.filter((p) => p[key] !== null).map((p) => ({ x: p.t + half, y: p[key] })),
      borderColor: colour,
      backgroundColor: colour,
      borderWidth: 2,
      pointRadius: 2,
      tension: 0.25,
      yAxisID: 'y2',
      borderDash: dash || [],
    });
    const datasets = [
      {
        type: 'bar',
        label: 'Masks / s',
        data: pts.map((p) => ({ x: p.t + half, y: p.perSecond })),
        backgroundColor: 'rgba(96, 165, 250, 0.45)',
        borderColor: 'rgba(96, 165, 250, 0.9)',
        borderWidth: 1,
        barPercentage: 1,
        categoryPercentage: 1,
        yAxisID: 'y',
      },
      latency('p50 latency', 'p50', '#34d399'),
      latency('p95 latency', 'p95', '#fbbf24'),
      latency('p99 latency', 'p99', '#f87171', [5, 4]),
    ];
    let chart = view.charts['throughput-chart'];
    if (!chart) {
      const options = baseOptions(state.from, state.to);
      options.scales.y = {
        beginAtZero: true,
        grid: { color: GRID },
        ticks: { color: TICK },
        title: { display: true, text: 'masks / s', color: TICK },
      };
      options.scales.y2 = {
        position: 'right',
        beginAtZero: true,
        grid: { drawOnChartArea: false },
        ticks: { color: TICK, callback: (v) => millis(v) },
        title: { display: true, text: 'latency', color: TICK },
      };
      makeChart('throughput-chart', { data: { datasets }, options });
    } else {
      chart.data.datasets = datasets;
      setSpan(chart, state);
      chart.update('none');
    }
  }

  // ---------- panels ----------
  function latestWith(points, pick) {
    for (let i = points.length - 1; i >= 0; i--) {
      if (pick(points[i]) !== null && pick(points[i]) !== undefined) return points[i];
    }
    return null;
  }

  function renderHeader(state) {
    const live = state.models.live[0];
    if (live) {
      byId('live-model-name').textContent = live.modelName + ' v' + live.version;
      byId('live-model-sub').textContent =
        (live.status === 'ROLLBACK' ? 'rolled back ' : 'promoted ') + ago(live.at, state.generatedAt);
    } else {
      byId('live-model-name').textContent = 'none announced';
      byId('live-model-sub').textContent = '';
    }
    const active = state.drift.alerts.filter((a) => a.active);
    const banner = byId('alert-banner');
    if (active.length) {
      const first = active[0];
      const children = [
        el('strong', { text: 'Drift alert' }),
        el('span', { text: first.modelName + ' v' + first.modelVersion + ': ' + first.message }),
      ];
      if (active.length > 1) children.push(el('span', { cls: 'more', text: '+' + (active.length - 1) + ' more' }));
      replace(banner, children);
      banner.hidden = false;
    } else {
      banner.hidden = true;
    }
  }

  function renderKpis(state) {
    const all = state.quality.find((s) => s.key === 'all');
    const points = all ? all.points : [];
    const live = state.models.live[0];
    for (let c = 1; c <= 3; c++) {
      const p = latestWith(points, (x) => x.dice[c]);
      const value = byId('kpi-dice-' + c);
      const sub = byId('kpi-dice-' + c + '-sub');
      value.textContent = p ? fmt(p.dice[c], 3) : '—';
      const base = live ? baselineOf(live.validationMetrics, c) : null;
      if (p && base !== null) {
        const delta = p.dice[c] - base;
        replace(sub, [
          el('span', { cls: delta < 0 ? 'down' : 'up', text: (delta >= 0 ? '▲ ' : '▼ ') + fmt(Math.abs(delta), 3) }),
          document.createTextNode(' vs val. ' + fmt(base, 3)),
        ]);
        sub.setAttribute('title', 'last window ' + fmt(p.dice[c], 3) + ' over ' + slicesWith(p, c) + ' slices labelling ' + CLASS[c].name + '; live model validation ' + fmt(base, 3));
      } else {
        sub.textContent = p ? 'last window · ' + slicesWith(p, c) + ' labelled slices' : 'not labelled in any slice yet';
      }
    }
    const t = latestWith(state.throughput, (x) => x.perSecond);
    byId('kpi-throughput').textContent = t ? fmt(t.perSecond, t.perSecond < 10 ? 2 : 1) : '—';
    byId('kpi-throughput-sub').textContent = t ? t.count + ' in the last window' : 'no masks yet';
    const l = latestWith(state.throughput, (x) => x.p95);
    byId('kpi-latency').textContent = l ? millis(l.p95) : '—';
    byId('kpi-latency-sub').textContent = l ? 'p50 ' + millis(l.p50) + ', end to end' : 'study received → mask';
    byId('kpi-latency-sub').setAttribute('title', 'study received by ingest → mask produced by inference');
    const inSpan = state.deadLetters.reasons.reduce((sum, r) => sum + r.inSpan, 0);
    byId('kpi-deadletters').textContent = String(inSpan);
    byId('kpi-deadletters-sub').textContent = state.deadLetters.total + ' in total';
    const active = state.drift.alerts.filter((a) => a.active).length;
    byId('kpi-alerts').textContent = String(active);
    byId('kpi-alerts-sub').textContent = active ? 'active · see drift monitor' : state.drift.alerts.length + ' raised in total';
    byId('kpi-alerts-card').classList.toggle('alarm', active > 0);
  }

  function renderSeriesSelect(state) {
    const select = byId('dice-series');
    const keys = state.quality.map((s) => s.key);
    const current = Array.from(select.options).map((o) => o.value);
    if (keys.join('|') !== current.join('|')) {
      replace(select, state.quality.map((s) => el('option', { text: s.label, attrs: { value: s.key } })));
    }
    if (!keys.includes(view.series) && keys.length) view.series = keys[0];
    select.value = view.series;
  }

  // Slices of a window whose Dice of class c is defined: a partial label (e.g. discs only) leaves
  // the other classes out of the window's mean, so they must not weigh in a mean over windows.
  function slicesWith(p, c) {
    return p.diceSlices ? p.diceSlices[c] : p.labelled;
  }

  // Mean Dice per class over windows; null (shown "—") for a class no slice labels, never 0.
  function aggregateDice(points) {
    const sums = [0, 0, 0, 0];
    const counts = [0, 0, 0, 0];
    let labelled = 0;
    points.forEach((p) => {
      labelled += p.labelled;
      for (let c = 1; c <= 3; c++) {
        const n = slicesWith(p, c);
        if (p.dice[c] !== null && n > 0) {
          sums[c] += p.dice[c] * n;
          counts[c] += n;
        }
      }
    });
    return { labelled, mean: sums.map((s, c) => (counts[c] ? s / counts[c] : null)) };
  }

  function diceCell(value, c) {
    return value === null
      ? el('td', { cls: 'undefined', text: '—', title: 'no slice in the span labels ' + CLASS[c].name })
      : el('td', { cls: scoreClass(value), text: fmt(value, 3) });
  }

  function renderDiceTable(tableId, series, firstHeader) {
    if (!changed(tableId, series)) return;
    const head = el('tr', {}, [
      el('th', { text: firstHeader }),
      el('th', {}, [el('span', { cls: 'dot-cls c1' }), document.createTextNode('Vert.')]),
      el('th', {}, [el('span', { cls: 'dot-cls c2' }), document.createTextNode('Canal')]),
      el('th', {}, [el('span', { cls: 'dot-cls c3' }), document.createTextNode('Discs')]),
      el('th', { text: 'Slices' }),
    ]);
    const rows = series.map((s) => {
      const agg = aggregateDice(s.points);
      return el('tr', {}, [
        el('td', { text: s.label }),
        diceCell(agg.mean[1], 1),
        diceCell(agg.mean[2], 2),
        diceCell(agg.mean[3], 3),
        el('td', { text: String(agg.labelled) }),
      ]);
    });
    if (!rows.length) rows.push(el('tr', {}, [el('td', { cls: 'empty', text: 'No data in the span.', attrs: { colspan: 5 } })]));
    replace(byId(tableId), [el('thead', {}, [head]), el('tbody', {}, rows)]);
  }

  // One class of a labelled gallery slice: its Dice; "not labelled" where a partial label leaves it
  // out; recall and area ratio for vertebrae labelled as bodies only (Dice would punish the
  // posterior elements the label leaves unlabelled).
  function galleryChip(g, c, labelled) {
    const cls = 'chip c' + c;
    if (!labelled) {
      return el('span', { cls: cls + ' undefined', title: 'the label does not label ' + CLASS[c].name, text: CLASS[c].short + ' not labelled' });
    }
    if (c === 1 && g.dice[c] === null && g.bodyAreaRatio !== null && g.bodyAreaRatio !== undefined) {
      return el('span', {
        cls: cls + ' bodies',
        title: 'vertebral bodies labelled without posterior elements: recall of the body pixels, predicted vertebra area / body area',
        text: CLASS[c].short + ' bodies: recall ' + fmt(g.bodyRecall, 2) + ' · area ×' + fmt(g.bodyAreaRatio, 2),
      });
    }
    return el('span', { cls: cls, title: CLASS[c].label + ' Dice', text: CLASS[c].short + ' ' + fmt(g.dice[c], 2) });
  }

  function studyLink(uid, text, studies) {
    const item = studies.find((s) => s.studyUid === uid);
    if (!item) return el('span', { cls: 'id', title: uid, text: text });
    return el('a', { cls: 'id study-link', title: 'open the study ' + uid, text: text, attrs: { href: item.pageUrl } });
  }

  function renderStudies(state) {
    if (!changed('studies', state.studies)) return;
    const table = byId('studies');
    if (!state.studies.length) {
      replace(table, [el('tbody', {}, [el('tr', {}, [el('td', { cls: 'empty', text: 'No study results yet.' })])])]);
      return;
    }
    const head = el('tr', {}, ['Study', 'Sequence', 'Completed', 'Model', 'Level flags'].map((h) => el('th', { text: h })));
    const rows = state.studies.map((s) =>
      el('tr', {}, [
        el('td', {}, [studyLink(s.studyUid, s.studyUid, state.studies)]),
        el('td', { text: s.sequence }),
        el('td', { text: clockSeconds(s.completedAt) }),
        el('td', {}, [
          el('span', { text: s.modelVersions.join(', ') }),
          s.mixedModelVersions ? el('span', { cls: 'badge warn', text: 'mixed versions', title: 'a model swap fell inside this study' }) : null,
        ]),
        el('td', {}, [el('span', { cls: 'badge ' + (s.levelFlags ? 'warn' : 'good'), text: String(s.levelFlags) })]),
      ]),
    );
    replace(table, [el('thead', {}, [head]), el('tbody', {}, rows)]);
  }

  function renderGallery(state) {
    const box = byId('gallery');
    const signature =
      state.gallery.map((g) => g.key + '@' + g.at).join('|') + '#' + state.studies.map((s) => s.studyUid).join('|');
    if (box.dataset.signature === signature) return;
    box.dataset.signature = signature;
    if (!state.gallery.length) {
      replace(box, [el('p', { cls: 'empty', text: 'No segmented slices yet.' })]);
      return;
    }
    replace(
      box,
      state.gallery.map((g) => {
        const pics = [
          el('figure', {}, [
            el('img', { cls: 'overlay-prediction', attrs: { src: g.predictionUrl, alt: 'prediction overlay of ' + g.key, loading: 'lazy' } }),
            el('figcaption', { text: 'prediction' }),
          ]),
        ];
        const labelledClass = (c) => !g.labelledClasses || g.labelledClasses[c];
        if (g.truthUrl) {
          const partial = [1, 2, 3].filter(labelledClass);
          const bodies = g.bodyAreaRatio !== null && g.bodyAreaRatio !== undefined;
          const named = (c) => (c === 1 && bodies ? 'vertebral bodies' : CLASS[c].name);
          const caption =
            partial.length === 3 && !bodies ? 'ground truth' : 'ground truth: ' + partial.map(named).join(', ') + ' only';
          pics.push(
            el('figure', {}, [
              el('img', { cls: 'overlay-truth', attrs: { src: g.truthUrl, alt: 'ground truth of ' + g.key, loading: 'lazy' } }),
              el('figcaption', { text: caption }),
            ]),
          );
        }
        const chips = [];
        if (g.labelled) {
          for (let c = 1; c <= 3; c++) chips.push(galleryChip(g, c, labelledClass(c)));
        } else {
          chips.push(el('span', { cls: 'chip', text: 'unlabelled · confidence ' + fmt(g.meanMaxProbability, 2) }));
        }
        const score = !g.labelled
          ? el('span', { cls: 'score-warn', text: 'no label' })
          : g.meanDice === null
            ? el('span', { cls: 'undefined', text: 'no Dice · confidence ' + fmt(g.meanMaxProbability, 2) })
            : el('span', { cls: scoreClass(g.meanDice), text: 'Dice ' + fmt(g.meanDice, 3) });
        return el('article', { cls: 'shot' + (g.labelled && g.meanDice !== null && g.meanDice < 0.7 ? ' bad' : '') }, [
          el('div', { cls: 'pics' + (g.truthUrl ? '' : ' single') }, pics),
          el('div', { cls: 'meta' }, [
            el('div', { cls: 'title' }, [studyLink(g.studyUid, g.studyUid + ' / ' + g.sliceIndex, state.studies), score]),
            el('div', { cls: 'sub', text: g.sequence + ' · ' + g.modelName + ' v' + g.modelVersion + ' · ' + clockSeconds(g.at) }),
            el('div', { cls: 'chips' }, chips),
          ]),
        ]);
      }),
    );
  }

  const KIND_BADGE = {
    PROMOTED: 'good',
    ROLLBACK: 'warn',
    REJECTED: 'bad',
    FAILED: 'bad',
    STARTED: 'info',
    EVALUATED: 'muted',
  };

  function renderModels(state) {
    if (!changed('models', [state.models.versions, state.models.timeline, Math.floor(state.generatedAt / 60000)])) return;
    const versions = state.models.versions;
    const keys = [];
    versions.forEach((v) => Object.keys(v.validationMetrics).forEach((k) => keys.includes(k) || keys.push(k)));
    const classOf = (k) => [1, 2, 3].find((c) => BASELINE_KEYS[c].includes(k.toLowerCase())) || 0;
    keys.sort((a, b) => (classOf(a) || 9) - (classOf(b) || 9) || a.localeCompare(b));
    const header = (k) => {
      const c = classOf(k);
      return c
        ? el('th', { title: k }, [el('span', { cls: 'dot-cls c' + c }), document.createTextNode('Dice ' + CLASS[c].name)])
        : el('th', { text: k === 'miou' ? 'mIoU' : k });
    };
    const head = el('tr', {}, [el('th', { text: 'Version' }), el('th', { text: 'Status' })].concat(keys.map(header)).concat([el('th', { text: 'When' })]));
    const rows = versions.map((v) => {
      const status = v.live ? 'LIVE' : v.status;
      const badge = el('span', { cls: 'badge ' + (v.live ? 'good' : KIND_BADGE[v.status] || 'muted'), text: status });
      return el('tr', { cls: v.live ? 'live' : v.status === 'REJECTED' ? 'dim' : '', title: v.message || v.architecture || '' }, [
        el('td', { text: v.modelName + ' v' + v.version }),
        el('td', {}, [badge]),
      ]
        .concat(keys.map((k) => el('td', { text: fmt(v.validationMetrics[k], 3) })))
        .concat([el('td', { text: ago(v.at, state.generatedAt) })]));
    });
    if (!rows.length) rows.push(el('tr', {}, [el('td', { cls: 'empty', text: 'No model announced yet.', attrs: { colspan: 3 } })]));
    replace(byId('model-table'), [el('thead', {}, [head]), el('tbody', {}, rows)]);

    const items = state.models.timeline.slice(0, 40).map((e) =>
      el('li', {}, [
        el('span', { cls: 'when', text: clock(e.at) + ' · ' + ago(e.at, state.generatedAt).replace(' ago', '') }),
        el('span', {}, [el('span', { cls: 'badge ' + (KIND_BADGE[e.kind] || 'muted'), text: e.kind })]),
        el('span', { cls: 'what', text: e.modelName + (e.version !== null ? ' v' + e.version : '') + ' — ' + e.detail }),
      ]),
    );
    if (!items.length) items.push(el('li', {}, [el('span', { cls: 'empty', text: 'Nothing yet.' })]));
    replace(byId('timeline'), items);
  }

  function renderTraining(state) {
    if (!changed('training', state.models.training)) return;
    const items = state.models.training.map((t) => {
      const pct = t.totalSteps > 0 ? Math.min(100, (100 * t.step) / t.totalSteps) : t.phase === 'PROGRESS' ? 0 : 100;
      const badge = { STARTED: 'info', PROGRESS: 'info', EVALUATED: 'muted', PROMOTED: 'good', REJECTED: 'bad', FAILED: 'bad' }[t.phase] || 'muted';
      const bar = el('span');
      bar.style.width = pct.toFixed(1) + '%';
      const facts = [
        el('span', { text: 'epoch ' + t.epoch }),
        el('span', { text: 'step ' + t.step + ' / ' + t.totalSteps }),
        el('span', { text: 'loss ' + fmt(t.loss, 4) }),
      ];
      if (t.etaSeconds !== null) facts.push(el('span', { text: 'eta ' + Math.round(t.etaSeconds) + ' s' }));
      Object.keys(t.validationDice).forEach((k) => facts.push(el('span', { text: k + ' ' + fmt(t.validationDice[k], 3) })));
      return el('div', { cls: 'training-item' }, [
        el('div', { cls: 'top' }, [
          el('strong', { text: t.modelName + (t.candidateVersion !== null ? ' → v' + t.candidateVersion : '') }),
          el('span', { cls: 'badge ' + badge, text: t.phase }),
        ]),
        el('div', { cls: 'progress' }, [bar]),
        el('div', { cls: 'facts' }, facts),
        t.message ? el('div', { cls: 'card-sub', text: t.message }) : null,
      ]);
    });
    if (!items.length) items.push(el('p', { cls: 'empty', text: 'No training reported yet.' }));
    replace(byId('training'), items);
  }

  function renderRetrain(state) {
    const select = byId('retrain-model');
    const names = state.retrain.models;
    if (Array.from(select.options).map((o) => o.value).join('|') !== names.join('|')) {
      replace(select, names.map((n) => el('option', { text: n, attrs: { value: n } })));
      select.value = state.retrain.defaultModel;
    }
    const button = byId('retrain-button');
    if (!state.retrain.enabled) {
      button.disabled = true;
      const result = byId('retrain-result');
      if (!result.textContent) {
        result.className = 'retrain-result note';
        result.textContent = 'Disabled: no operator token is configured (dashboard.operator.token).';
      }
    }
  }

  function renderDrift(state) {
    if (!changed('drift', state.drift)) return;
    const r = state.drift.rules;
    byId('drift-rules').textContent =
      'Dice alert: rolling ' + r.diceWindow + ' labelled slices below validation − ' + r.diceMargin +
      '. Label-free alert: ≥ ' + r.minDriftedSignals + ' signals with PSI > ' + r.psiThreshold +
      ' and KS p < ' + r.ksAlpha + ' vs the first ' + r.referenceSize + ' slices of the version.';
    const alerts = state.drift.alerts.slice(0, 6).map((a) =>
      el('li', { cls: a.active ? 'active' : '' }, [
        el('div', { cls: 'head' }, [
          el('strong', { text: (a.kind === 'DICE_BELOW_BASELINE' ? 'Dice below baseline' : 'Label-free shift') + ' · ' + a.modelName + ' v' + a.modelVersion }),
          el('span', { cls: 'badge ' + (a.active ? 'bad' : 'muted'), text: a.active ? 'ACTIVE' : 'CLEARED' }),
        ]),
        el('div', { cls: 'msg', text: a.message }),
        el('div', {
          cls: 'foot',
          text: 'raised ' + clockSeconds(a.raisedAt) + (a.retrainRequestId ? ' · retrain requested (' + a.retrainRequestId + ')' : ' · no retrain request (disabled)'),
        }),
      ]),
    );
    if (!alerts.length) alerts.push(el('li', { cls: 'none', text: 'No drift alert raised.' }));
    replace(byId('alerts'), alerts);

    const live = state.drift.versions.filter((v) => v.live);
    const shown = (live.length ? live : state.drift.versions).slice(0, 2);
    replace(
      byId('drift-status'),
      shown.map((v) => {
        const bars = [];
        v.dice.forEach((d) => {
          const fill = el('span');
          // No labelled slice of the class yet (e.g. disc-only labels): an empty bar, not a 0.
          const none = d.rollingMean === null;
          fill.style.width = none ? '0%' : (100 * d.rollingMean).toFixed(1) + '%';
          fill.style.background = CLASS[d.classId].colour;
          const bar = el('div', { cls: 'bar' + (none ? ' undefined' : '') }, [fill]);
          if (d.threshold !== null) {
            const tick = el('i', { title: 'threshold ' + fmt(d.threshold, 3) });
            tick.style.left = (100 * d.threshold).toFixed(1) + '%';
            bar.appendChild(tick);
          }
          bars.push(el('span', { text: CLASS[d.classId].label }));
          bars.push(bar);
          bars.push(
            none
              ? el('span', { cls: 'num undefined', text: 'not labelled', title: 'no slice of this version labels ' + CLASS[d.classId].name + ' yet: no Dice, no alert' })
              : el('span', { cls: 'num ' + (d.firing ? 'score-bad' : ''), text: fmt(d.rollingMean, 3) + ' (' + d.n + '/' + r.diceWindow + ')' }),
          );
        });
        const children = [
          el('h3', {}, [
            el('span', { text: v.modelName + ' v' + v.modelVersion }),
            el('span', { cls: 'badge ' + (v.live ? 'good' : 'muted'), text: v.live ? 'LIVE' : 'PREVIOUS' }),
            el('span', { cls: 'card-sub', text: v.observations + ' slices · ' + v.labelled + ' labelled' }),
          ]),
          el('div', { cls: 'bars' }, bars),
        ];
        const lf = v.labelFree;
        if (lf) {
          const head = el('tr', {}, [el('th', { text: 'Signal' }), el('th', { text: 'PSI' }), el('th', { text: 'KS p' }), el('th', { text: 'Verdict' })]);
          const rows = lf.signals.map((s) =>
            el('tr', {}, [
              el('td', { text: s.signal }),
              el('td', { text: fmt(s.psi, 3) }),
              el('td', { text: s.ksPValue === null ? '—' : s.ksPValue < 1e-4 ? s.ksPValue.toExponential(1) : fmt(s.ksPValue, 4) }),
              el('td', {}, [el('span', { cls: 'badge ' + (s.drifted ? 'bad' : s.status === 'STABLE' ? 'good' : s.status === 'WATCH' ? 'warn' : 'muted'), text: s.status })]),
            ]),
          );
          children.push(el('p', { cls: 'card-sub', text: 'Label-free: ' + lf.drifted + ' of ' + lf.signals.length + ' signals drifted (window ' + lf.windowSize + ' vs reference ' + lf.referenceSize + ')' }));
          children.push(el('table', { cls: 'data compact' }, [el('thead', {}, [head]), el('tbody', {}, rows)]));
        } else {
          children.push(el('p', { cls: 'card-sub', text: 'Label-free: learning the reference (' + Math.min(v.observations, r.referenceSize) + ' / ' + r.referenceSize + ' slices), then ' + r.minWindowSize + ' more before a verdict.' }));
        }
        return el('div', { cls: 'drift-version' }, children);
      }),
    );
  }

  function renderDeadLetters(state) {
    if (!changed('deadletters', state.deadLetters)) return;
    const reasons = [el('span', { cls: 'h', text: 'Reason' }), el('span', { cls: 'h n', text: 'In span' }), el('span', { cls: 'h n', text: 'Total' })];
    state.deadLetters.reasons.forEach((r) => {
      reasons.push(el('span', {}, [el('span', { cls: 'badge bad', text: r.reasonCode })]));
      reasons.push(el('span', { cls: 'n', text: String(r.inSpan) }));
      reasons.push(el('span', { cls: 'n', text: String(r.total) }));
    });
    if (!state.deadLetters.reasons.length) {
      replace(byId('deadletter-reasons'), [el('p', { cls: 'empty', text: 'No dead letters. Every input made it through.' })]);
    } else {
      replace(byId('deadletter-reasons'), reasons);
    }
    const items = state.deadLetters.recent.slice(0, 12).map((d) =>
      el('li', { cls: 'deadletter' }, [
        el('div', { cls: 'head' }, [
          el('span', { text: clockSeconds(d.at) }),
          el('span', { cls: 'badge bad', text: d.reasonCode }),
          el('span', { text: d.stage + (d.field ? ' · ' + d.field : '') + (d.limit ? ' (limit ' + d.limit + ')' : '') }),
        ]),
        el('div', { cls: 'msg', text: d.message }),
        el('div', { cls: 'where', text: (d.studyUid ? 'study ' + d.studyUid + ' · ' : '') + (d.originalLocation || d.key) }),
      ]),
    );
    replace(byId('deadletters'), items);
  }

  function render(state) {
    view.last = state;
    view.refresh = state.refreshMillis || 2000;
    byId('refresh-every').textContent = String(Math.round(view.refresh / 1000));
    renderHeader(state);
    renderKpis(state);
    renderSeriesSelect(state);
    renderDiceChart(state);
    renderSignalsChart(state);
    renderThroughputChart(state);
    renderDiceTable('by-sequence', state.quality.filter((s) => s.dimension === 'sequence'), 'Sequence');
    renderDiceTable('by-version', state.quality.filter((s) => s.dimension === 'version'), 'Version');
    renderGallery(state);
    renderStudies(state);
    renderModels(state);
    renderTraining(state);
    renderRetrain(state);
    renderDrift(state);
    renderDeadLetters(state);
    document.body.dataset.loaded = 'true';
  }

  function setStatus(kind, text) {
    const status = byId('status');
    status.dataset.state = kind;
    byId('status-text').textContent = text;
  }

  async function poll() {
    clearTimeout(view.timer);
    try {
      const response = await fetch('/api/state?minutes=' + view.span, { cache: 'no-store' });
      if (response.status === 401) {
        // The sign-in cookie expired or was never set: sign in again (no token in the page).
        window.location.assign('/signin');
        return;
      }
      if (response.ok) {
        const state = await response.json();
        render(state);
        setStatus('live', 'live · updated ' + clockSeconds(state.generatedAt));
      } else {
        const body = await response.json().catch(() => ({}));
        setStatus('waiting', body.message || 'waiting for the dashboard (' + response.status + ')');
      }
    } catch (e) {
      setStatus('down', 'cannot reach the dashboard — retrying');
    }
    view.timer = setTimeout(poll, view.refresh);
  }

  function requestId() {
    if (window.crypto && typeof window.crypto.randomUUID === 'function') return window.crypto.randomUUID();
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  async function retrain(event) {
    event.preventDefault();
    const button = byId('retrain-button');
    const result = byId('retrain-result');
    const token = byId('retrain-token').value.trim();
    const body = {
      reason: byId('retrain-reason').value,
      modelName: byId('retrain-model').value,
      requestedBy: byId('retrain-by').value,
      requestId: requestId(),
    };
    const headers = { 'Content-Type': 'application/json' };
    if (token) headers.Authorization = 'Bearer ' + token;
    button.disabled = true;
    result.className = 'retrain-result note';
    result.textContent = 'Sending…';
    try {
      const response = await fetch('/api/retrain', { method: 'POST', headers, body: JSON.stringify(body) });
      const answer = await response.json().catch(() => ({}));
      if (response.status === 202 || response.status === 200) {
        result.className = 'retrain-result ok';
        result.textContent = 'Retrain request sent for ' + answer.modelName + ' (id ' + answer.requestId + ').';
        byId('retrain-reason').value = '';
      } else if (response.status === 401) {
        result.className = 'retrain-result refused';
        result.textContent = 'Refused (401): the operator token is missing or wrong.';
      } else {
        result.className = 'retrain-result refused';
        result.textContent = 'Not sent (' + response.status + '): ' + (answer.message || 'unexpected answer');
      }
    } catch (e) {
      result.className = 'retrain-result refused';
      result.textContent = 'Not sent: the dashboard cannot be reached.';
    }
    button.disabled = !(view.last && view.last.retrain.enabled);
  }

  document.addEventListener('DOMContentLoaded', () => {
    byId('dice-series').addEventListener('change', (e) => {
      view.series = e.target.value;
      if (view.last) renderDiceChart(view.last);
    });
    byId('span').addEventListener('change', (e) => {
      view.span = Number(e.target.value);
      poll();
    });
    byId('retrain-form').addEventListener('submit', retrain);
    poll();
  });
})();
